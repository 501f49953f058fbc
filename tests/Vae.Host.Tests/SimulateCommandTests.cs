using System.Globalization;
using System.Text.RegularExpressions;
using PureHDF;
using Vae.Host.Cli;
using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Runs.Experiments;
using Vae.Runs.Settings;

namespace Vae.Host.Tests;

public class SimulateCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fvae-sim-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Simulate_writes_an_hdf5_dataset_and_prints_a_summary()
    {
        var path = Path.Combine(_folder, "hh.h5");
        var (code, output, err) = Run("simulate", "--n", "10", "--seed", "5", "--out", path, "--threads", "2");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("simulated 10 traces", output);
        Assert.Contains("spikes per trace", output);
        Assert.Contains("RHS evaluations", output);
        Assert.Contains("8 train, 2 test", output);
        using var file = H5File.OpenRead(path);
        Assert.Equal([10UL, 5000UL], file.Dataset("traces").Space.Dimensions);
        Assert.Equal("5", file.Attribute("seed").Read<string>());
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Simulate_with_noise_prints_it_and_records_it_in_the_file()
    {
        var path = Path.Combine(_folder, "noisy.h5");
        var (code, output, err) = Run("simulate", "--n", "5", "--seed", "5", "--out", path, "--noise-sigma", "1.5", "--noise-tau", "0.2",
            "--intrinsic-sigma", "0.5");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("noise: measurement 1.5 mV tau 0.2 ms, intrinsic 0.5 uA/cm2 sqrt(ms) white, Euler-Maruyama step 0.01 ms, seed 5", output);
        using var file = H5File.OpenRead(path);
        Assert.Equal(1.5, file.Attribute("noise_measurement_sigma_mV").Read<double>());
        Assert.Equal("5", file.Attribute("noise_seed").Read<string>());
    }

    [Fact]
    public void Simulate_reads_parameters_from_a_csv()
    {
        var csv = Path.Combine(_folder, "p.csv");
        File.WriteAllLines(csv, ["index,gkbar,gnabar", "0,36,120", "1,30,125", "2,40,115"]);
        var path = Path.Combine(_folder, "from-csv.h5");
        var (code, output, err) = Run("simulate", "--params", csv, "--n", "2", "--protocol", "seed-code", "--out", path);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("simulated 2 traces (protocol seed-code", output);
        using var file = H5File.OpenRead(path);
        Assert.Equal(new[] { 36.0, 120, 30, 125 }, file.Dataset("parameters").Read<double[]>());
        Assert.Equal("none", file.Attribute("seed").Read<string>());
    }

    [Fact]
    public void Simulate_trace_writes_the_full_state_as_csv()
    {
        var path = Path.Combine(_folder, "fig.csv");
        var (code, output, err) = Run("simulate-trace", "--out", path);
        Assert.True(code == ExitCodes.Ok, err);
        var lines = File.ReadAllLines(path);
        Assert.Equal("t_ms,V_mV,n,m,h,I_uA_per_cm2", lines[0]);
        Assert.Equal(2401, lines.Length);  // 60 ms every 0.025 ms, plus the header
        Assert.StartsWith("0,-65,", lines[1]);
        Assert.Contains("spikes", output);
    }

    public static TheoryData<string[], string> BadInputs() => new()
    {
        { ["simulate", "--n", "0"], "--n: 0 is out of range" },
        { ["simulate", "--n", "-3"], "--n: -3 is out of range" },
        { ["simulate", "--rtol", "0"], "--rtol: 0 is out of range" },
        { ["simulate", "--rtol", "-1e-6"], "--rtol: -1e-6 is out of range" },
        { ["simulate", "--atol", "-1"], "--atol: -1 is out of range" },
        { ["simulate", "--protocol", "nope"], "nope" },
        { ["simulate", "--params", "/no/such/params.csv"], "cannot read parameter file" },
        { ["simulate", "--n", "2", "--out", "/no/such/folder/x.h5"], "does not exist" },
        { ["simulate-trace", "--gk", "-5", "--out", "never-written.csv"], "--gk: -5 is out of range" },
        { ["bench-simulate", "--n", "0"], "--n: 0 is out of range" },
        { ["simulate", "--noise-sigma", "-1"], "--noise-sigma: -1 is out of range" },
        { ["simulate", "--noise-sigma", "51"], "--noise-sigma: 51 is out of range" },
        { ["simulate", "--noise-tau", "abc"], "--noise-tau: 'abc' is not a number" },
        { ["simulate", "--intrinsic-sigma", "-0.5"], "--intrinsic-sigma: -0.5 is out of range" },
        { ["simulate", "--noise-seed", "-2"], "--noise-seed: -2 is out of range" },
        { ["simulate", "--n", "2", "--intrinsic-sigma", "1", "--sde-step", "0.003"], "must divide the output grid" },
        { ["simulate", "--n", "2", "--intrinsic-sigma", "1", "--sde-step", "0.02"], "SDE step must be between" },
    };

    [Theory, MemberData(nameof(BadInputs))]
    public void Bad_input_gives_one_error_line_and_exit_code_2(string[] args, string mentioned)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(ExitCodes.BadInput, code);
        var first = err.Split('\n')[0];
        Assert.StartsWith("error: ", first);
        Assert.Contains(mentioned, first);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void A_malformed_csv_is_bad_input_and_leaves_no_output()
    {
        var csv = Path.Combine(_folder, "bad.csv");
        File.WriteAllLines(csv, ["gk,gna", "36,abc"]);
        var path = Path.Combine(_folder, "never.h5");
        var (code, _, err) = Run("simulate", "--params", csv, "--out", path);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains("line 2", err);
        Assert.Equal([csv], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Shards_of_simulate_merge_into_the_one_process_file()
    {
        var whole = Path.Combine(_folder, "whole.h5");
        Assert.Equal(ExitCodes.Ok, Run("simulate", "--n", "9", "--seed", "2", "--out", whole).Code);
        var shards = new List<string>();
        foreach (var i in new[] { 2, 1 })
        {
            var path = Path.Combine(_folder, $"part{i}.h5");
            var (code, output, err) = Run("simulate", "--n", "9", "--seed", "2", "--shard", $"{i}/2", "--out", path, "--threads", "1");
            Assert.True(code == ExitCodes.Ok, err);
            Assert.Contains(i == 1 ? "shard 1/2, rows 0..3 of 9: 4 train, 0 test" : "shard 2/2, rows 4..8 of 9: 3 train, 2 test", output);
            shards.Add(path);
        }
        var merged = Path.Combine(_folder, "merged.h5");
        var (mergeCode, mergeOut, mergeErr) = Run(["simulate", "merge", .. shards, "--out", merged]);
        Assert.True(mergeCode == ExitCodes.Ok, mergeErr);
        Assert.Contains("merged 2 shards", mergeOut);
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(merged));
    }

    [Theory]
    [InlineData("missing", "shard 2/2 missing")]
    [InlineData("twice", "is given twice")]
    [InlineData("seed", "differ in seed")]
    [InlineData("exists", "already exists")]
    [InlineData("bad-shard", "--shard takes i/n")]
    [InlineData("too-many", "cannot be split into 5 shards")]
    public void Bad_shards_or_merges_are_one_error_line_exit_2_and_write_nothing(string what, string message)
    {
        // A shard named twice is simulated once: simulate does not overwrite its own file.
        string Shard(int i, string seed) =>
            File.Exists(Path.Combine(_folder, $"s{seed}-{i}.h5")) || Run("simulate", "--n", "4", "--seed", seed, "--shard", $"{i}/2", "--out",
                Path.Combine(_folder, $"s{seed}-{i}.h5")).Code == 0
                ? Path.Combine(_folder, $"s{seed}-{i}.h5") : throw new InvalidOperationException("shard failed");
        var output = Path.Combine(_folder, "out.h5");
        string[] args = what switch
        {
            "missing" => ["simulate", "merge", Shard(1, "0"), "--out", output],
            "twice" => ["simulate", "merge", Shard(1, "0"), Shard(1, "0"), Shard(2, "0"), "--out", output],
            "seed" => ["simulate", "merge", Shard(1, "0"), Shard(2, "1"), "--out", output],
            "exists" => ["simulate", "merge", Shard(1, "0"), Shard(2, "0"), "--out", Shard(1, "1")],
            "bad-shard" => ["simulate", "--n", "4", "--shard", "0/2", "--out", output],
            _ => ["simulate", "--n", "4", "--shard", "1/5", "--out", output],
        };
        var before = Directory.GetFiles(_folder).Select(f => (f, File.ReadAllBytes(f).Length)).Order().ToList();
        var (code, _, err) = Run(args);
        Assert.Equal(ExitCodes.BadInput, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(message, line);
        Assert.Equal(before, Directory.GetFiles(_folder).Select(f => (f, File.ReadAllBytes(f).Length)).Order());
    }

    [Fact]
    public void Bench_simulate_reports_speed_work_and_accuracy()
    {
        var (code, output, err) = Run("bench-simulate", "--n", "8", "--repeat", "1", "--check", "2", "--threads", "1");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("1 threads", output);
        double Number(string pattern)
        {
            var m = Regex.Match(output, pattern);
            Assert.True(m.Success, $"no match for '{pattern}' in:\n{output}");
            return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        // Speed: the rate is the traces over the best wall time, both as printed.
        double best = Number(@"best: ([0-9.]+) s wall for 8 traces");
        double rate = Number(@"= ([0-9]+) traces/s");
        Assert.True(best > 0 && rate > 0, output);
        Assert.InRange(rate, 8 / (best + 0.0005) - 1, 8 / Math.Max(best - 0.0005, 1e-9) + 1);
        // Work: what the library reports for the same eight traces.
        var reference = DatasetGenerator.FromSeed(HhProtocol.Report, 8, 0, SolverOptions.Default, threads: 1);
        var st = reference.Statistics;
        Assert.Equal(Math.Round(st.RhsEvaluations / 8.0), Number(@"per trace: ([0-9]+) RHS evaluations"));
        Assert.Equal(Math.Round(st.AcceptedSteps / 8.0, 1), Number(@"([0-9.]+) accepted"));
        Assert.Equal(Math.Round(st.RejectedSteps / 8.0, 1), Number(@"([0-9.]+) rejected steps"));
        Assert.Equal(Math.Round(reference.SpikeCounts.Average(), 2), Number(@"spikes per trace ([0-9.]+)"));
        // Accuracy on the first two traces: within the documented 1e-3 mV and 1e-5 ms, over every spike they fire.
        Assert.InRange(Number(@"max \|V - Vref\| = ([0-9.E+-]+) mV"), 1e-9, 1e-3);
        Assert.InRange(Number(@"max spike-time error = ([0-9.E+-]+) ms"), 0, 1e-5);
        Assert.Equal(reference.SpikeCounts[0] + reference.SpikeCounts[1], Number(@"over ([0-9]+) spikes"));
    }
}
