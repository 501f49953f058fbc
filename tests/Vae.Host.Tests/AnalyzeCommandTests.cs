using System.Text.Json;
using Vae.Host.Cli;

namespace Vae.Host.Tests;

/// <summary>The latent analysis at the end of training and through `analyze`, on a tiny dataset-scaled HH run.</summary>
public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-analyze-").FullName;
    private string DataDir => Path.Combine(_tmp, "data");
    private string Run => Path.Combine(_tmp, "run");

    public void Dispose() => Directory.Delete(_tmp, true);

    private void Train(params string[] extra)
    {
        var (code, _, err) = CliRunner.Run(["--hh-count", "40", "--batch-size", "8", "--epochs", "1", "--threads", "1", "--data-dir", DataDir,
            "--out", Run, .. extra]);
        Assert.True(code == ExitCodes.Ok, err);
    }

    [Fact]
    public void Training_ends_with_the_analysis_and_analyze_repeats_it_exactly()
    {
        Train("--scaling", "dataset");
        var json = Path.Combine(Run, "analysis.json");
        var first = File.ReadAllText(json);
        using (var doc = JsonDocument.Parse(first))
        {
            Assert.Equal("dataset", doc.RootElement.GetProperty("scaling").GetString());
            var rows = doc.RootElement.GetProperty("recovery").EnumerateArray()
                .Select(r => r.GetProperty("representation").GetString()).Distinct().ToList();
            Assert.Equal(["latent means", "PCA 2", "PCA 10", "eFEL-style features", "sbi features"], rows);
            var inputs = doc.RootElement.GetProperty("recovery").EnumerateArray()
                .Where(r => r.GetProperty("representation").GetString()!.EndsWith("features", StringComparison.Ordinal))
                .Select(r => r.GetProperty("input").GetString()).Distinct().Count();
            Assert.Equal(2, inputs);
            Assert.False(doc.RootElement.TryGetProperty("iwaeNll", out _));
        }
        Assert.Contains("What the latent space learned", File.ReadAllText(Path.Combine(Run, "report.html")));
        Assert.True(File.Exists(Path.Combine(Run, "figures", "traversals.png")));
        Assert.True(File.Exists(Path.Combine(Run, "figures", "recovery.png")));
        Assert.Contains("dataset", File.ReadAllText(Path.Combine(Run, "config.json")));

        var (code, output, err) = CliRunner.Run(["analyze", Run, "--data-dir", DataDir, "--threads", "1"]);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("R2 gK", output);
        Assert.Equal(first, File.ReadAllText(json));
    }

    [Fact]
    public void Bad_input_is_one_error_line_exit_2_and_writes_nothing()
    {
        Train("--no-analysis");
        Assert.False(File.Exists(Path.Combine(Run, "analysis.json")));
        var before = Directory.GetFiles(Run, "*", SearchOption.AllDirectories).Select(f => (f, File.GetLastWriteTimeUtc(f))).ToList();

        var (code, _, err) = CliRunner.Run(["analyze", Run, "--data-dir", DataDir, "--data", Path.Combine(_tmp, "missing.h5")]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error:", err.Trim());
        Assert.Single(err.Trim().Split('\n'));

        File.Delete(Path.Combine(Run, "model.safetensors"));
        (code, _, err) = CliRunner.Run(["analyze", Run, "--data-dir", DataDir]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("no final model", err);
        Assert.Equal(before.Where(b => b.f != Path.Combine(Run, "model.safetensors")),
            Directory.GetFiles(Run, "*", SearchOption.AllDirectories).Select(f => (f, File.GetLastWriteTimeUtc(f))));
    }

    [Fact]
    public void Analyze_with_the_embedding_reference_adds_its_row_to_the_information_table()
    {
        Train("--no-analysis");
        var (code, output, err) = CliRunner.Run(["analyze", Run, "--data-dir", DataDir, "--threads", "1", "--embedding-reference"]);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains(Vae.Runs.Analysis.PosteriorAnalysis.EmbeddingName, output);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Run, "analysis.json")));
        var rows = doc.RootElement.GetProperty("information").EnumerateArray().ToList();
        var cnn = Assert.Single(rows, r => r.GetProperty("representation").GetString() == Vae.Runs.Analysis.PosteriorAnalysis.EmbeddingName);
        Assert.Equal("traces in mV", cnn.GetProperty("input").GetString());
        Assert.Equal(20, cnn.GetProperty("dimensions").GetInt32());
        Assert.True(double.IsFinite(cnn.GetProperty("nats").GetProperty("estimate").GetDouble()));
        Assert.Contains(rows, r => r.GetProperty("representation").GetString() == "latent means");
    }
}
