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
            // MLP-VAE 784-500-20 at batch 128: 0.525 GFLOP per step (docs/training-speed.md), then ms, GFLOP/s and share.
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
        var rate = Regex.Match(output,
            @"machine's matrix-multiply rate \(torch.mm 2048\^3\), the higher of: (\d+) GFLOP/s on \d+ threads in this process .*?; "
            + @"(\d+) GFLOP/s summed over the 2 workers side by side .*= 100 %");
        Assert.True(rate.Success, output);
        // One row per workload with each worker's median step, the summed rate and the share; the arithmetic is
        // checked on exact values below, not on these rounded figures.
        Assert.Matches(@"MLP-VAE 784-500-20\s+128\s+0\.525 [\d.]+ / [\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+%", output);
    }

    [Fact]
    public void Workers_rates_are_summed_and_shared_against_the_higher_machine_rate()
    {
        var workload = TrainWorkload.Create("mlp", null)[0];
        LoopTiming Worker(double median) => new("w", 128, "functional", 1_000_000_000, 10, median, median);
        // Workers at 0.01 s and 0.02 s per 1 GFLOP step: 100 + 50 GFLOP/s summed.
        var timing = new WorkersTiming(workload, [Worker(0.01), Worker(0.02)], [MatmulRate.Flops / 100e9, MatmulRate.Flops / 200e9]);
        Assert.Equal(150e9, timing.Rate, 1e-3);
        Assert.Equal(300e9, timing.SummedMatmulRate, 1e-3);
        // The higher of the rate alone and the median over workloads of the summed products.
        var other = timing with { MatmulMedianSeconds = [MatmulRate.Flops / 50e9, MatmulRate.Flops / 50e9] };
        var slowest = timing with { MatmulMedianSeconds = [MatmulRate.Flops / 10e9] };
        Assert.Equal(300e9, WorkersTiming.MachineRate(250e9, [timing]), 1e-3);
        Assert.Equal(350e9, WorkersTiming.MachineRate(350e9, [timing]), 1e-3);
        Assert.Equal(200e9, WorkersTiming.MachineRate(0, [timing, other]), 1e-3);
        Assert.Equal(100e9, WorkersTiming.MachineRate(0, [timing, other, slowest]), 1e-3);
        Assert.Equal(0.5, timing.ShareOf(300e9), 12);
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
            var (code, _, err) = CliRunner.Run("bench-train", "--model", "mlp", "--steps", "2", "--warmup", "1", "--threads", "1", "--results-file",
                file);
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
        // Background recompilation during the first steps took a core from libtorch (docs/training-speed.md).
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
