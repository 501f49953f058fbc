using System.Text.Json;
using PureHDF;
using Vae.Host.Cli;
using Vae.Runs.Persistence;
using Vae.Runs.Settings;

namespace Vae.Host.Tests;

/// <summary>End-to-end runs of the root (training) command on a tiny HH dataset in temporary folders.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-train-").FullName;
    private string DataDir => Path.Combine(_tmp, "data");

    public void Dispose() => Directory.Delete(_tmp, true);

    private (int Code, string Out, string Err) Train(string outName, params string[] extra) => CliRunner.Run(TrainArgs(outName, extra));

    private string[] TrainArgs(string outName, params string[] extra)
    {
        string[] defaults = ["--hh-count", "30", "--batch-size", "8", "--epochs", "2", "--threads", "1", "--latent-dim", "2"];
        // Options given in `extra` replace the defaults above (an option may appear only once).
        var args = Enumerable.Range(0, defaults.Length / 2)
            .Where(i => !extra.Contains(defaults[2 * i]))
            .SelectMany(i => new[] { defaults[2 * i], defaults[2 * i + 1] })
            .Concat(["--data-dir", DataDir, "--out", Path.Combine(_tmp, outName), .. extra]).ToArray();
        return args;
    }

    /// <summary>Output that plays Ctrl+C (cancels) as soon as a line containing <paramref name="trigger"/> is written.</summary>
    private sealed class InterruptOnLine(string trigger, CancellationTokenSource interrupt) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(trigger) == true)
                interrupt.Cancel();
        }
    }

    private static string[] WithoutSeconds(string metricsCsv) =>
        metricsCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => string.Join(",", line.Split(',').Where((_, i) => i != 3))).ToArray();

    [Fact]
    public void A_run_leaves_config_metrics_checkpoints_figures_and_report()
    {
        var (code, output, err) = Train("run");
        Assert.True(code == ExitCodes.Ok, err);
        var run = Path.Combine(_tmp, "run");
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal("hh", config.RootElement.GetProperty("config").GetProperty("dataset").GetString());
        Assert.Equal(30, config.RootElement.GetProperty("config").GetProperty("hhCount").GetInt32());
        Assert.Contains("report-seed0-n30.h5", config.RootElement.GetProperty("dataset").GetString());
        Assert.True(config.RootElement.GetProperty("versions").TryGetProperty("torchsharp", out _));
        var metrics = MetricsTable.Parse(File.ReadAllText(Path.Combine(run, "metrics.csv")));
        Assert.Equal([1, 2], metrics.Epochs.Select(e => e.Epoch));
        Assert.Equal([3L, 6], metrics.Epochs.Select(e => e.Step));
        Assert.All(metrics.Epochs, e => Assert.True(double.IsFinite(e.Test.Loss) && e.Test.Loss > 0));
        Assert.Equal(2, metrics.LatentDim);
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "last.safetensors")));
        Assert.True(File.Exists(Path.Combine(run, "model.safetensors")));
        foreach (var png in new[] { "loss", "terms", "reconstructions", "samples", "latent" })
            Assert.True(File.Exists(Path.Combine(run, "figures", png + ".png")), png);
        var html = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("Plotly.newPlot", html);
        // The latent maps, coloured by gK and gNa, are interactive.
        Assert.Contains("\"colorscale\":\"Viridis\"", html);
        Assert.Contains("by gNa", html);
        Assert.Empty(Directory.GetFiles(run, "*.tmp", SearchOption.AllDirectories));
        Assert.Contains("done in", output);
    }

    [Fact]
    public void A_resumed_run_gives_the_metrics_of_an_uninterrupted_one()
    {
        Assert.Equal(ExitCodes.Ok, Train("full").Code);
        var (code, output, _) = Train("split", "--stop-after", "1");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("paused after epoch 1", output);
        Assert.False(File.Exists(Path.Combine(_tmp, "split", "model.safetensors")));
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("--resume", Path.Combine(_tmp, "split"), "--threads", "1", "--data-dir", DataDir).Code);
        Assert.Equal(WithoutSeconds(File.ReadAllText(Path.Combine(_tmp, "full", "metrics.csv"))),
                     WithoutSeconds(File.ReadAllText(Path.Combine(_tmp, "split", "metrics.csv"))));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_tmp, "full", "model.safetensors")),
                     File.ReadAllBytes(Path.Combine(_tmp, "split", "model.safetensors")));
    }

    [Fact]
    public void A_run_interrupted_during_an_epoch_leaves_no_temp_file_and_resumes_to_the_uninterrupted_metrics()
    {
        Assert.Equal(ExitCodes.Ok, Train("full").Code);
        using var interrupt = new CancellationTokenSource();
        var err = new StringWriter();
        // The interruption arrives once epoch 1 is reported, so epoch 2 is under way when it is seen.
        var code = HostCli.Run(TrainArgs("split"), new InterruptOnLine("epoch 1/2", interrupt), err, interrupt.Token);
        Assert.Equal(ExitCodes.Interrupted, code);
        var split = Path.Combine(_tmp, "split");
        Assert.Equal($"error: interrupted in epoch 2; the run keeps its state after epoch 1; continue it with --resume {split}.",
            err.ToString().TrimEnd());
        Assert.Empty(Directory.GetFiles(split, "*.tmp", SearchOption.AllDirectories));
        Assert.Single(MetricsTable.Parse(File.ReadAllText(Path.Combine(split, "metrics.csv"))).Epochs);
        Assert.False(File.Exists(Path.Combine(split, "model.safetensors")));

        Assert.Equal(ExitCodes.Ok, CliRunner.Run("--resume", split, "--threads", "1", "--data-dir", DataDir).Code);
        Assert.Equal(WithoutSeconds(File.ReadAllText(Path.Combine(_tmp, "full", "metrics.csv"))),
                     WithoutSeconds(File.ReadAllText(Path.Combine(split, "metrics.csv"))));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_tmp, "full", "model.safetensors")),
                     File.ReadAllBytes(Path.Combine(split, "model.safetensors")));
    }

    [Fact]
    public void An_interruption_while_the_training_data_is_generated_leaves_nothing()
    {
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();
        var err = new StringWriter();
        var code = HostCli.Run(TrainArgs("early"), new StringWriter(), err, interrupt.Token);
        Assert.Equal(ExitCodes.Interrupted, code);
        Assert.StartsWith("error: interrupted", err.ToString());
        Assert.False(Directory.Exists(Path.Combine(_tmp, "early")));
        Assert.Empty(Directory.GetFiles(_tmp, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_existing_run_folder_is_not_overwritten_without_force()
    {
        Assert.Equal(ExitCodes.Ok, Train("run", "--epochs", "1").Code);
        var before = File.ReadAllText(Path.Combine(_tmp, "run", "metrics.csv"));
        var (code, _, err) = Train("run", "--epochs", "1", "--seed", "5");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--force", err);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_tmp, "run", "metrics.csv")));
        Assert.Equal(ExitCodes.Ok, Train("run", "--epochs", "1", "--seed", "5", "--force").Code);
    }

    [Fact]
    public void Missing_or_corrupt_hh_data_is_bad_input()
    {
        var (code, _, err) = Train("a", "--hh-data", Path.Combine(_tmp, "nope.h5"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: --hh-data ", err);
        Assert.Contains("nope.h5 does not exist", err);
        Assert.False(Directory.Exists(Path.Combine(_tmp, "a")));
        var junk = Path.Combine(_tmp, "junk.h5");
        File.WriteAllText(junk, "not hdf5");
        (code, _, err) = Train("b", "--hh-data", junk);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("junk.h5", err.Split('\n')[0]);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Resume_refuses_changed_settings_and_folders_that_are_not_runs()
    {
        var (code, _, err) = CliRunner.Run("--resume", _tmp, "--beta", "2");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--beta", err);
        (code, _, err) = CliRunner.Run("--resume", _tmp);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("not a run folder", err);
    }

    [Fact]
    public void A_diverging_loss_stops_the_run_with_a_clear_message()
    {
        var (code, _, err) = Train("nan", "--lr", "10", "--epochs", "1");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("training loss became", err);
        Assert.False(File.Exists(Path.Combine(_tmp, "nan", "model.safetensors")));
    }

    [Fact]
    public void Batch_larger_than_the_training_set_is_bad_input()
    {
        var (code, _, err) = Train("big", "--batch-size", "1000");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: the batch size 1000 is larger than the 24 training examples; try a smaller --batch-size.", err);
        // Refused before anything was created: no run folder, no config, no checkpoints folder.
        Assert.False(Directory.Exists(Path.Combine(_tmp, "big")));
    }

    [Fact]
    public void Evaluate_generate_and_encode_read_a_finished_run()
    {
        Assert.Equal(ExitCodes.Ok, Train("run", "--epochs", "1").Code);
        var run = Path.Combine(_tmp, "run");
        (int, string) Host(params string[] args)
        {
            var (code, output, err) = CliRunner.Run([.. args, "--threads", "1", "--data-dir", DataDir]);
            return (code, output + err);
        }

        var (code, text) = Host("evaluate", run);
        Assert.True(code == ExitCodes.Ok, text);
        using (var eval = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json"))))
        {
            var metrics = MetricsTable.Parse(File.ReadAllText(Path.Combine(run, "metrics.csv")));
            // The same fixed evaluation seed as training's last epoch: the same test loss.
            Assert.Equal(metrics.Epochs[^1].Test.Loss, eval.RootElement.GetProperty("test_loss").GetDouble(), 4);
        }

        (code, text) = Host("generate", run, "--n", "3");
        Assert.True(code == ExitCodes.Ok, text);
        var samples = Path.Combine(run, "samples-n3-seed0.h5");
        using (var file = H5File.OpenRead(samples))
            Assert.Equal(new ulong[] { 3, 5000 }, file.Dataset("samples").Space.Dimensions);
        Assert.True(File.Exists(Path.ChangeExtension(samples, ".png")));
        (code, text) = Host("generate", run, "--n", "3");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--force", text);

        (code, text) = Host("encode", run);
        Assert.True(code == ExitCodes.Ok, text);
        using (var file = H5File.OpenRead(Path.Combine(run, "latents.h5")))
        {
            Assert.Equal(new ulong[] { 30, 2 }, file.Dataset("mu").Space.Dimensions);
            Assert.Equal(new ulong[] { 30, 2 }, file.Dataset("logvar").Space.Dimensions);
            Assert.Equal(new ulong[] { 30, 2 }, file.Dataset("parameters").Space.Dimensions);
            Assert.Equal(30, file.Dataset("split").Read<byte[]>().Length);
        }
    }

    [Fact]
    public void Reading_a_run_without_a_model_is_bad_input()
    {
        Assert.Equal(ExitCodes.Ok, Train("paused", "--stop-after", "1").Code);
        File.Delete(Path.Combine(_tmp, "paused", "checkpoints", "last.safetensors"));
        var (code, _, err) = CliRunner.Run("evaluate", Path.Combine(_tmp, "paused"), "--data-dir", DataDir);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("no trained model", err);
    }
}
