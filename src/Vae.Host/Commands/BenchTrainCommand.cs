using Vae.Runs.Settings;
using Vae.Runs;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vae.Host.Benchmarks;
using Vae.Host.Cli;
using Vae.Model;
using static TorchSharp.torch;
using Vae.Runs.Experiments;

namespace Vae.Host.Commands;

/// <summary>
/// `bench-train`: training-step times of the study's models on synthetic data of their real shapes, the FLOPs
/// of a step counted from the layer shapes, the achieved rate and its share of the machine's matrix-multiply
/// rate measured in the same run, and the functional layer against a hand-written TorchSharp loop where one exists.
/// </summary>
public static class BenchTrainCommand
{
    /// <summary>The `bench-train` command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "mlp (784-500-20, batch 128), conv2d (MNIST Conv-VAE, batch 64), conv1d-default (the product's trace Conv-VAE, batch 64), "
                + "conv1d (the reference trace shape k3 s2 with a hand-written loop), resconv (the residual trace VAE, batch 64) "
                + "or all (mlp, conv2d, conv1d-default at batches 64 and 16).",
            DefaultValueFactory = _ => "mlp",
        };
        model.AcceptOnlyFromAmong(TrainWorkload.Names);
        var batch = NumericOption.Optional("--batch", SettingRanges.BatchSize,
            "Examples per step instead of the model's default (the paper's: 16 for traces).");
        var steps = NumericOption.WithDefault("--steps", SettingRanges.BenchmarkCount, 0, "Timed steps per loop; 0 for one whole epoch.");
        var warmup = NumericOption.WithDefault("--warmup", SettingRanges.BenchmarkCount, 3, "Untimed steps before timing.");
        var loop = new Option<string>("--loop")
        {
            Description = "functional, baseline (hand-written TorchSharp, where one exists) or both.",
            DefaultValueFactory = _ => "both",
        };
        loop.AcceptOnlyFromAmong("functional", "baseline", "both");
        var step = new Option<string>("--step")
        {
            Description = "Functional step: in-place (Training.stepInPlace, donated buffers) or pure (Training.step, fresh tensors each step).",
            DefaultValueFactory = _ => "in-place",
        };
        step.AcceptOnlyFromAmong("in-place", "pure");
        var allocator = new Option<string>("--allocator")
        {
            Description = "tuned (large blocks kept for reuse, as training runs do) or system (glibc's defaults).",
            DefaultValueFactory = _ => "tuned",
        };
        allocator.AcceptOnlyFromAmong("tuned", "system");
        var threads = HostOptions.Threads();
        var workers = NumericOption.Optional("--workers", SettingRanges.Workers, "Time the functional loop in n processes side by side, "
            + "as reproduce --workers n trains (each with --threads threads, default: the cores shared out), "
            + "and report the workers' summed rate as a share of the machine's matrix-multiply rate (the higher of one process on all cores and the "
            + "workers' own products side by side).");
        var results = new Option<string?>(BenchWorkers.ResultsFile)
        {
            Description = "Where a worker of bench-train --workers writes what it measured.",
            Hidden = true,
        };
        var cmd = new Command("bench-train", "Time training steps of the study's models; print ms per step, FLOPs per step, "
            + "GFLOP/s and the share of the machine's matrix-multiply rate.");
        foreach (var o in new Option[] { model, batch, steps, warmup, loop, step, allocator, threads, workers, results })
            cmd.Options.Add(o);
        cmd.Validators.Add(r =>
        {
            if (r.GetResult(workers) is { Implicit: false } && r.GetResult(loop) is { Implicit: false } && r.GetValue(loop) != "functional")
                r.AddError("--workers times the functional loop only: leave out --loop or give --loop functional.");
        });
        cmd.SetCancellableAction((parse, cancel) =>
        {
            var outp = parse.InvocationConfiguration.Output;
            NativeSetup.initialize();
            var tuned = parse.GetValue(allocator) == "tuned" && NativeSetup.reuseLargeAllocations();
            var workerCount = parse.GetValue(workers);
            // With workers, --threads is each worker's; this process times the machine's rate on all cores.
            var n = NativeSetup.configure(HostOptions.ThreadsValue(workerCount is null ? parse.GetValue(threads) : null));
            var workloads = TrainWorkload.Create(parse.GetValue(model)!, parse.GetValue(batch));
            var (loops, inPlace, warm) = (parse.GetValue(loop)!, parse.GetValue(step) == "in-place", parse.GetValue(warmup));
            var stepText = inPlace ? "in-place" : "pure";
            var allocatorText = tuned ? "tuned" : "system";
            using var gen = new Generator(1);
            using var mm = new MatmulRate(gen);
            var mmTimes = new List<double>();
            if (workerCount is int count)
            {
                var each = SideBySide.ThreadsEach(count, parse.GetValue(threads));
                SideBySide.WarnIfOversubscribed(count, each, parse.InvocationConfiguration.Error);
                outp.WriteLine($"{count} workers x {each} thread{(each == 1 ? "" : "s")}, the machine's matrix-multiply rate on {n} threads here; "
                    + $"functional step {stepText}; allocator {allocatorText}; {warm} warm-up steps per loop");
                string[] loopOptions = ["--steps", Text(parse.GetValue(steps)), "--warmup", Text(warm), "--step", stepText, "--allocator",
                    parse.GetValue(allocator)!];
                var timings = BenchWorkers.Run(workloads, count, each, loopOptions, mm, mmTimes, outp, parse.InvocationConfiguration.Error, cancel);
                ReportWorkers(outp, timings, mmTimes, n);
                return ExitCodes.Ok;
            }
            outp.WriteLine($"threads {n}; functional step {stepText}; allocator {allocatorText}; {warm} warm-up steps per loop");
            var file = parse.GetValue(results);
            // A worker times its matrix products before and after its loops, not between their blocks: the workers
            // beside it are then multiplying too, not training.
            if (file is not null)
                BenchWorkers.TimeProducts(mm, mmTimes);
            var timed = new List<LoopTiming>();
            foreach (var w in workloads)
            {
                int stepsTimed = parse.GetValue(steps) is > 0 and var s ? s : w.StepsPerEpoch;
                outp.WriteLine($"{w.Name}: {w.Examples} examples x {w.Features}, batch {w.Batch}, {w.StepsPerEpoch} steps/epoch; "
                    + $"timing {stepsTimed} steps");
                timed.AddRange(Run(w, loops, inPlace, warm, stepsTimed, gen, file is null ? mm : null, mmTimes, cancel));
            }
            if (file is null)
                Report(outp, timed, mmTimes);
            else
            {
                BenchWorkers.TimeProducts(mm, mmTimes);
                new BenchRun(timed, Median(mmTimes)).Write(file);
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    // Times the workload's loops in alternating blocks of 10 steps, and one matrix product per block (none when
    // mm is null), so that machine noise hits all of them alike.
    private static List<LoopTiming> Run(TrainWorkload w, string loops, bool inPlace, int warm, int timed,
        Generator gen, MatmulRate? mm, List<double> mmTimes, CancellationToken cancel)
    {
        void StopIfAsked()
        {
            if (cancel.IsCancellationRequested)
                throw new RunInterruptedException("interrupted: the benchmark stopped before its report.");
        }
        using var data = w.Data(gen);
        var named = new List<(string Name, IStepLoop Loop)>();
        try
        {
            if (loops != "baseline")
                named.Add(("functional", w.Functional(data, warm + timed, inPlace, gen)));
            if (loops != "functional" && w.HasBaseline)
                named.Add(("hand-written", w.Baseline(data, new Generator(3))));
            var times = named.Select(_ => new List<double>()).ToList();
            for (int i = 0; i < warm; i++)
                foreach (var (_, l) in named)
                {
                    StopIfAsked();
                    l.Step(i);
                }
            mm?.Time();
            for (int start = warm; start < warm + timed; start += 10)
            {
                if (mm is not null)
                    mmTimes.Add(mm.Time());
                for (int k = 0; k < named.Count; k++)
                    for (int i = start; i < Math.Min(start + 10, warm + timed); i++)
                    {
                        StopIfAsked();
                        var clock = Stopwatch.StartNew();
                        var loss = named[k].Loop.Step(i);
                        times[k].Add(clock.Elapsed.TotalSeconds);
                        if (!double.IsFinite(loss)) throw new RunFailedException($"{w.Name}, {named[k].Name}: "
                            + $"training diverged (loss {loss}); the benchmark stopped.");
                    }
            }
            return named.Select((l, k) => new LoopTiming(w.Name, w.Batch, l.Name, w.FlopsPerStep, w.StepsPerEpoch, Median(times[k]),
                times[k].Average())).ToList();
        }
        finally
        {
            foreach (var (_, l) in named) l.Dispose();
        }
    }

    private static void Report(TextWriter outp, List<LoopTiming> results, List<double> mmTimes)
    {
        var mmRate = MatmulRate.Flops / Median(mmTimes);
        outp.WriteLine();
        outp.WriteLine($"matrix-multiply rate: torch.mm {MatmulRate.Size}^3, median of {mmTimes.Count} products taken between the step blocks: "
            + $"{Median(mmTimes) * 1e3:F1} ms, {mmRate / 1e9:F0} GFLOP/s = 100 %");
        outp.WriteLine($"{"workload",-40} {"batch",5} {"GFLOP/step",10} {"loop",-12} {"median ms",9} {"mean ms",8} {"s/epoch",8} "
            + $"{"GFLOP/s",8} {"share",6}");
        foreach (var t in results)
            outp.WriteLine($"{t.Workload,-40} {t.Batch,5} {t.FlopsPerStep / 1e9,10:F3} {t.Loop,-12} {t.MedianSeconds * 1e3,9:F2} "
                + $"{t.MeanSeconds * 1e3,8:F2} {t.MeanSeconds * t.StepsPerEpoch,8:F1} {t.Rate / 1e9,8:F1} {t.Rate / mmRate * 100,5:F1}%");
        foreach (var g in results.GroupBy(r => (r.Workload, r.Batch)).Where(g => g.Count() == 2))
        {
            var (f, b) = (g.First(), g.Last());
            outp.WriteLine($"{g.Key.Workload}: functional layer overhead {Percent(f.MedianSeconds / b.MedianSeconds)} (medians), "
                + $"{Percent(f.MeanSeconds / b.MeanSeconds)} (means)");
        }
        outp.WriteLine(FootNote);
    }

    private static void ReportWorkers(TextWriter outp, List<WorkersTiming> timings, List<double> mmTimes, int threads)
    {
        var alone = MatmulRate.Flops / Median(mmTimes);
        var sideBySide = Median(timings.Select(t => t.SummedMatmulRate).ToList());
        var mmRate = WorkersTiming.MachineRate(alone, timings);
        outp.WriteLine();
        outp.WriteLine($"machine's matrix-multiply rate (torch.mm {MatmulRate.Size}^3), the higher of: "
            + $"{alone / 1e9:F0} GFLOP/s on {threads} threads in this process (median of {mmTimes.Count} products taken between the workloads); "
            + $"{sideBySide / 1e9:F0} GFLOP/s summed over the {timings[0].Workers.Count} workers side by side (median over the workloads) = 100 %");
        outp.WriteLine($"{"workload",-40} {"batch",5} {"GFLOP/step",10} {"median ms of each worker",-26} {"s/epoch",8} {"GFLOP/s",8} {"share",6}");
        foreach (var t in timings)
        {
            var medians = string.Join(" / ", t.Workers.Select(w => (w.MedianSeconds * 1e3).ToString("F2", CultureInfo.InvariantCulture)));
            var epoch = t.Workers.Max(w => w.MeanSeconds) * t.Workload.StepsPerEpoch;
            outp.WriteLine($"{t.Workload.Name,-40} {t.Workload.Batch,5} {t.Workload.FlopsPerStep / 1e9,10:F3} {medians,-26} {epoch,8:F1} "
                + $"{t.Rate / 1e9,8:F1} {t.ShareOf(mmRate) * 100,5:F1}%");
        }
        outp.WriteLine($"{FootNote} With workers: s/epoch of the slowest worker; GFLOP/s summed over the workers (each at its median step).");
    }

    private const string FootNote = "GFLOP/step: dense and convolution multiply-adds, forward and backward (docs/training-speed.md); share: "
        + "achieved GFLOP/s (median step) over the matrix-multiply rate.";

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double ratio) => $"{(ratio - 1) * 100:+0.0;-0.0;0.0}%";

    private static double Median(List<double> xs)
    {
        var sorted = xs.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
