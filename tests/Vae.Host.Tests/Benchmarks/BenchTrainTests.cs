using System.Globalization;
using System.Text.RegularExpressions;
using Vae.Host.Benchmarks;
using Vae.Host.Cli;

namespace Vae.Host.Tests.Benchmarks;

public class BenchTrainTests
{
    [Fact]
    public void Bench_train_reports_the_matmul_rate_and_each_loop_s_flops_rate_and_share()
    {
        var (code, output, err) = CliRunner.Run("bench-train", "--model", "mlp", "--steps", "2", "--warmup", "1", "--threads", "1");
        Assert.True(code == ExitCodes.Ok, err);
        var rate = Regex.Match(output, @"matrix-multiply rate: .*?(\d+) GFLOP/s = 100 %");
        Assert.True(rate.Success, output);
        Assert.True(int.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture) > 0);
        foreach (var loop in new[] { "functional", "hand-written" })
        {
            // MLP-VAE 784-500-20 at batch 128: 0.525 GFLOP per step (docs/model.md), then ms, GFLOP/s and share.
            var row = Regex.Match(output, $@"MLP-VAE 784-500-20\s+128\s+0\.525 {loop}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)%");
            Assert.True(row.Success, output);
            var median = double.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture);
            var gflops = double.Parse(row.Groups[4].Value, CultureInfo.InvariantCulture);
            Assert.True(median > 0);
            Assert.Equal(0.525 / (median / 1e3), gflops, 0.5);
        }
        Assert.Contains("functional layer overhead", output);
    }

    [Fact]
    public void Bench_train_with_workers_sums_the_workers_rates_over_the_machine_s_matrix_multiply_rate()
    {
        var (code, output, err) = CliRunner.Run("bench-train", "--model", "mlp", "--workers", "2", "--threads", "1", "--steps", "2", "--warmup", "1");
        Assert.True(code == ExitCodes.Ok, err);
        var rate = Regex.Match(output, @"machine's matrix-multiply rate \(torch.mm 2048\^3\), the higher of: (\d+) GFLOP/s on \d+ threads in this process .*?; (\d+) GFLOP/s summed over the 2 workers side by side .*= 100 %");
        Assert.True(rate.Success, output);
        var machine = Math.Max(int.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(rate.Groups[2].Value, CultureInfo.InvariantCulture));
        var row = Regex.Match(output, @"MLP-VAE 784-500-20\s+128\s+0\.525 ([\d.]+) / ([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)%");
        Assert.True(row.Success, output);
        double Value(int group) => double.Parse(row.Groups[group].Value, CultureInfo.InvariantCulture);
        // Each worker's rate at its median step, summed; the share is that sum over the higher matrix-multiply rate.
        var summed = 0.525 / (Value(1) / 1e3) + 0.525 / (Value(2) / 1e3);
        Assert.Equal(summed, Value(4), 0.2 + summed * 0.002);
        Assert.Equal(Value(4) / machine * 100, Value(5), 0.5);
    }

    [Fact]
    public void Bench_train_with_workers_refuses_the_hand_written_loop()
    {
        var (code, _, err) = CliRunner.Run("bench-train", "--workers", "2", "--loop", "both");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains("--loop", err);
    }

    [Fact]
    public void A_bench_train_worker_writes_every_loop_it_timed_to_its_results_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bench-run-{Guid.NewGuid():N}.json");
        try
        {
            var (code, _, err) = CliRunner.Run("bench-train", "--model", "mlp", "--steps", "2", "--warmup", "1", "--threads", "1", "--results-file", file);
            Assert.True(code == ExitCodes.Ok, err);
            var run = BenchRun.Read(file);
            Assert.True(run.MatmulMedianSeconds > 0);
            Assert.Equal(new[] { "functional", "hand-written" }, run.Loops.Select(l => l.Loop));
            Assert.All(run.Loops, l =>
            {
                Assert.Equal(("MLP-VAE 784-500-20", 128, 193), (l.Workload, l.Batch, l.StepsPerEpoch));
                Assert.Equal(0.525e9, l.FlopsPerStep, 0.001e9);
                Assert.True(l.MedianSeconds > 0 && l.MeanSeconds > 0);
            });
            Assert.False(File.Exists(file + ".part"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_host_runs_without_tiered_compilation()
    {
        // Background recompilation during the first steps took a core from libtorch (docs/model.md, Speed).
        var config = Path.Combine(Path.GetDirectoryName(typeof(HostCli).Assembly.Location)!, "Vae.Host.runtimeconfig.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(config));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.GetProperty("System.Runtime.TieredCompilation").GetBoolean());
    }

    [Fact]
    public void Bench_train_refuses_a_zero_batch()
    {
        var (code, _, err) = CliRunner.Run("bench-train", "--batch", "0");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains("--batch", err);
    }
}
