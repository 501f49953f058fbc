using Vae.Runs.Settings;
using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Vae.Host.Cli;
using Vae.Simulation.Datasets;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;
using Vae.Runs.Experiments;

namespace Vae.Host.Commands;

/// <summary>`simulate`: make an HH trace dataset (from a seed or a parameter CSV) and store it as HDF5.</summary>
public static class SimulateCommand
{
    /// <summary>The `simulate` command.</summary>
    public static Command Create()
    {
        var count = NumericOption.Optional("--n", SettingRanges.Traces,
            "Number of traces (default 10000; with --params, the first N rows, default all).");
        var seed = NumericOption.WithDefault("--seed", SettingRanges.Seed, 0L,
            "Master seed: trace i's gK and gNa depend only on (seed, i); not used with --params.");
        var protocol = SimulateOptions.Protocol("report");
        var parameters = new Option<string?>("--params")
        {
            Description = "CSV with gK and gNa columns (e.g. gkbar, gnabar), one row per trace, instead of random draws.",
        };
        var output = new Option<string?>("--out") { Description = "HDF5 file to write (default hh-<protocol>.h5)." };
        var rtol = SimulateOptions.RelativeTolerance();
        var atol = SimulateOptions.AbsoluteTolerance();
        var method = SimulateOptions.Method();
        var threads = HostOptions.Threads();
        var shard = new Option<string?>("--shard")
        {
            Description = "Simulate only part i of n (1 <= i <= n) of the dataset: a contiguous block of its rows, for `simulate merge` to join.",
        };
        var force = new Option<bool>("--force") { Description = "Replace an existing output file." };
        var noiseOptions = new NoiseOptions();

        var cmd = new Command("simulate", "Simulate Hodgkin-Huxley voltage traces and write them, scaled, with their parameters and split, to HDF5.");
        foreach (var o in new Option[] { count, seed, protocol, parameters, output, rtol, atol, method, threads, shard, force })
            cmd.Options.Add(o);
        foreach (var o in noiseOptions.All)
            cmd.Options.Add(o);
        cmd.Subcommands.Add(SimulateMergeCommand.Create());
        cmd.SetCancellableAction((parse, cancel) =>
        {
            var outp = parse.InvocationConfiguration.Output;
            var proto = HhProtocol.FromName(parse.GetValue(protocol)!);
            var solver = SimulateOptions.Solver(parse, method, rtol, atol);
            int threadCount = SimulateOptions.Threads(parse, threads);
            var csv = parse.GetValue(parameters);
            int? n = parse.GetValue(count);
            ulong seedValue = (ulong)parse.GetValue(seed);
            var noise = noiseOptions.Read(parse, seedValue);
            noise.Validate(proto);

            Vae.Simulation.Traces.Conductances[] Cells()
            {
                proto.Validate();
                if (csv is null) return ParameterSampler.DrawMany(proto, seedValue, n ?? 10_000);
                var rows = ParameterCsv.Read(csv);
                if (n is int take && take > rows.Length)
                    throw new Vae.Simulation.SimulationInputException($"--n {take} exceeds the {rows.Length} rows of '{csv}'.");
                return n is int k ? rows[..k] : rows;
            }
            var all = Cells();
            var part = parse.GetValue(shard) is { } text ? ParseShard(text, all.Length) : DatasetShard.Whole(all.Length);
            string path = parse.GetValue(output)
                ?? (part.Count > 1 ? $"hh-{proto.Name}.shard-{part.Index}-of-{part.Count}.h5" : $"hh-{proto.Name}.h5");
            OutputGuard.RefuseExisting(parse.GetValue(force), path);
            OutputGuard.CheckWritable(path);

            var rowsOfPart = all[part.First..(part.First + part.Rows)];
            var spec = new HhDatasetSpec(proto, rowsOfPart, solver, csv is null ? seedValue : null, csv ?? "seed", part) { Noise = noise };
            var clock = Stopwatch.StartNew();
            // The traces go to the file a block at a time (memory does not grow with their number); an interruption or
            // an error before the file is complete leaves nothing (the write is atomic).
            DatasetFileGenerator.Written Simulate(Action<int>? progress) =>
                DatasetFileGenerator.Write(spec, path, threadCount, progress, replace: true, cancel);
            DatasetFileGenerator.Written written = null!;
            if (Terminal.IsInteractive(outp))
                AnsiConsole.Progress().AutoClear(true).Start(ctx =>
                {
                    var task = ctx.AddTask($"simulating {spec.Count} traces", maxValue: spec.Count);
                    written = Simulate(done => task.Value = done);
                });
            else
                written = Simulate(null);
            double seconds = clock.Elapsed.TotalSeconds;

            var st = written.Statistics;
            int traces = spec.Count;
            var spikes = written.SpikeCounts;
            // With intrinsic noise the adaptive solver is not used: the noise text names the integrator and its step instead.
            string integrator = noise.HasIntrinsic ? ""
                : $"{solver.Tableau.Name}, rtol {solver.RelativeTolerance:G3}, atol {solver.AbsoluteTolerance:G3}, ";
            outp.WriteLine($"simulated {traces} traces (protocol {proto.Name}, {(csv is null ? $"seed {seedValue}" : $"parameters from {csv}")}, "
                + $"{integrator}noise: {noise}) and wrote them in {seconds:F2} s on {threadCount} threads: {traces / seconds:F0} traces/s");
            outp.WriteLine($"spikes per trace: mean {spikes.Average():F2}, min {spikes.Min()}, max {spikes.Max()}; "
                + $"per trace: {(double)st.RhsEvaluations / traces:F0} RHS evaluations, {(double)st.AcceptedSteps / traces:F0} accepted and "
                + $"{(double)st.RejectedSteps / traces:F1} rejected steps");
            string rows = part.Count > 1 ? $"shard {part.Index}/{part.Count}, rows {part.First}..{part.First + part.Rows - 1} of {part.Total}: " : "";
            outp.WriteLine($"wrote {path} ({new FileInfo(path).Length / 1e6:F1} MB): {rows}{spec.TrainCount} train, "
                + $"{traces - spec.TrainCount} test, {spec.SampleCount} samples per trace");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>`--shard i/n` (parsed as `reproduce --shard` is) of a dataset of <paramref name="total"/> traces.</summary>
    private static DatasetShard ParseShard(string text, int total)
    {
        var part = Shard.Parse(text, "--shard");
        var shard = new DatasetShard(part.Index, part.Count, total);
        shard.Validate();
        return shard;
    }
}
