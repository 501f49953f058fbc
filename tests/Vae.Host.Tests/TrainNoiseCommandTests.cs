using System.Text.Json;
using Vae.Host.Cli;

namespace Vae.Host.Tests;

/// <summary>The root command with fresh measurement noise on the training traces, end to end on a tiny HH dataset.</summary>
public sealed class TrainNoiseCommandTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-trainnoise-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    private (int Code, string Out, string Err) Train(string outName, params string[] extra) => CliRunner.Run(
        ["--hh-count", "30", "--batch-size", "8", "--epochs", "2", "--threads", "1", "--model", "mlp", "--no-analysis",
            "--train-noise-sigma", "1", "--train-noise-tau", "0.5", "--data-dir", Path.Combine(_tmp, "data"), "--out", Path.Combine(_tmp, outName),
            .. extra]);

    private string[] MetricsWithoutSeconds(string run) =>
        File.ReadAllText(Path.Combine(_tmp, run, "metrics.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => string.Join(",", line.Split(',').Where((_, i) => i != 3))).ToArray();

    [Fact]
    public void A_noisy_run_records_its_noise_and_resumes_to_the_uninterrupted_metrics_and_model()
    {
        var (code, output, err) = Train("full");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("measurement noise on the training traces: 1 mV OU tau 0.5 ms", output);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(_tmp, "full", "config.json"))))
        {
            var settings = config.RootElement.GetProperty("config");
            Assert.Equal((1.0, 0.5), (settings.GetProperty("trainNoiseSigmaMv").GetDouble(), settings.GetProperty("trainNoiseTauMs").GetDouble()));
        }
        Assert.Equal(ExitCodes.Ok, Train("split", "--stop-after", "1").Code);
        var split = Path.Combine(_tmp, "split");
        (code, _, err) = CliRunner.Run("--resume", split, "--train-noise-sigma", "2");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("drop --train-noise-sigma", err);
        (code, _, err) = CliRunner.Run("--resume", split, "--threads", "1", "--no-analysis", "--data-dir", Path.Combine(_tmp, "data"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Equal(MetricsWithoutSeconds("full"), MetricsWithoutSeconds("split"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_tmp, "full", "model.safetensors")), File.ReadAllBytes(Path.Combine(split, "model.safetensors")));
    }
}
