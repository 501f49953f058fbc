using System.Globalization;
using System.Text.RegularExpressions;
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
