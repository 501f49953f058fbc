using Vae.Runs.Settings;
using System.CommandLine;
using System.Diagnostics;
using System.Runtime.Intrinsics;
using Vae.Host.Cli;
using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Traces;

namespace Vae.Host.Commands;

/// <summary>
/// `bench-simulate`: times dataset simulation (no file write) and checks the accuracy of the traces it makes against
/// a tight-tolerance reference solve.
/// </summary>
public static class BenchSimulateCommand
{
    /// <summary>Tolerances of the reference solve used by the accuracy check.</summary>
    public static SolverOptions Reference { get; } = new() { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14 };

    /// <summary>The `bench-simulate` command.</summary>
    public static Command Create()
    {
        var count = NumericOption.WithDefault("--n", SettingRanges.Traces, 10_000, "Traces per run.");
        var repeat = NumericOption.WithDefault("--repeat", SettingRanges.BenchmarkRepeats, 3,
            "Timed runs after one warm-up run; the best is reported.");
        var check = NumericOption.WithDefault("--check", SettingRanges.BenchmarkCount, 8,
            "Traces compared with a reference solve at rtol 1e-12 (0 to skip).");
        var seed = NumericOption.WithDefault("--seed", SettingRanges.Seed, 0L, "Master seed of the conductance draws.");
        var protocol = SimulateOptions.Protocol("report");
        var rtol = SimulateOptions.RelativeTolerance();
        var atol = SimulateOptions.AbsoluteTolerance();
        var method = SimulateOptions.Method();
        var threads = HostOptions.Threads();

        var cmd = new Command("bench-simulate",
            "Benchmark HH dataset simulation (build with -c Release): wall time, traces/s, work per trace, accuracy.");
        foreach (var o in new Option[] { count, repeat, check, seed, protocol, rtol, atol, method, threads })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var outp = parse.InvocationConfiguration.Output;
            var proto = HhProtocol.FromName(parse.GetValue(protocol)!);
            var solver = SimulateOptions.Solver(parse, method, rtol, atol);
            int n = parse.GetValue(count), threadCount = SimulateOptions.Threads(parse, threads);
            var conductances = ParameterSampler.DrawMany(proto, (ulong)parse.GetValue(seed), n);
            var dataset = new HhDataset(proto, conductances, solver, (ulong)parse.GetValue(seed), "seed");
            outp.WriteLine($"bench-simulate: {n} traces of protocol {proto.Name}, {solver.Tableau.Name}, rtol {solver.RelativeTolerance:G3}, "
                + $"atol {solver.AbsoluteTolerance:G3}, {threadCount} threads, Vector256 accelerated: {Vector256.IsHardwareAccelerated}, "
                + $"optimized build: {!IsDebugBuild()}");

            var times = new List<double>();
            for (int run = 0; run <= parse.GetValue(repeat); run++)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                DatasetGenerator.Simulate(dataset, threadCount);
                double seconds = clock.Elapsed.TotalSeconds;
                // CPU time shows whether other processes competed for the cores: ideally threads x wall time.
                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                outp.WriteLine(run == 0 ? $"warm-up: {seconds:F3} s (CPU {cpu:F2} s)" : $"run {run}: {seconds:F3} s, "
                    + $"{n / seconds:F0} traces/s (CPU {cpu:F2} s)");
                if (run > 0) times.Add(seconds);
            }
            var st = dataset.Statistics;
            double best = times.Min();
            outp.WriteLine($"best: {best:F3} s wall for {n} traces = {n / best:F0} traces/s (median "
                + $"{times.Order().ElementAt(times.Count / 2):F3} s); "
                + $"per trace: {(double)st.RhsEvaluations / n:F0} RHS evaluations, {(double)st.AcceptedSteps / n:F1} accepted and "
                + $"{(double)st.RejectedSteps / n:F1} rejected steps; spikes per trace {dataset.SpikeCounts.Average():F2}");

            int checkCount = Math.Min(parse.GetValue(check), n);
            if (checkCount > 0)
            {
                var (worstV, worstSpike, spikes) = Accuracy(dataset, checkCount);
                outp.WriteLine($"accuracy on {checkCount} traces vs rtol 1e-12 reference: max |V - Vref| = {worstV:E2} mV, "
                    + $"max spike-time error = {worstSpike:E2} ms over {spikes} spikes");
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Max voltage error (mV) and spike-time error (ms) of the first traces against the reference solve.</summary>
    public static (double MaxVoltageError, double MaxSpikeTimeError, int Spikes) Accuracy(HhDataset dataset, int traces)
    {
        var proto = dataset.Protocol;
        var reference = new double[proto.ScalingSampleCount];
        double worstV = 0, worstSpike = 0;
        int spikes = 0;
        for (int i = 0; i < traces; i++)
        {
            TraceSimulator.SimulateVoltage(proto, dataset.Conductances[i], Reference, reference);
            var kept = reference.AsSpan(0, dataset.SampleCount);
            var got = dataset.RawTrace(i);
            for (int j = 0; j < got.Length; j++)
                worstV = Math.Max(worstV, Math.Abs(got[j] - kept[j]));
            var tRef = SpikeDetection.Times(kept, proto.OutputDtMs);
            var tGot = SpikeDetection.Times(got, proto.OutputDtMs);
            spikes += tRef.Length;
            if (tRef.Length != tGot.Length) return (worstV, double.PositiveInfinity, spikes);
            for (int j = 0; j < tRef.Length; j++)
                worstSpike = Math.Max(worstSpike, Math.Abs(tRef[j] - tGot[j]));
        }
        return (worstV, worstSpike, spikes);
    }

    private static bool IsDebugBuild() =>
        typeof(HhBatchIntegrator).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .OfType<DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled);
}
