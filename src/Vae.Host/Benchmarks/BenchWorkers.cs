using Vae.Runs;
using System.Globalization;
using Vae.Host.Cli;

namespace Vae.Host.Benchmarks;

/// <summary>
/// One workload timed in several workers side by side: each worker's loop and the median seconds of the matrix
/// products each timed before and after it, while the others were doing the same.
/// </summary>
public sealed record WorkersTiming(TrainWorkload Workload, IReadOnlyList<LoopTiming> Workers, IReadOnlyList<double> MatmulMedianSeconds)
{
    /// <summary>The workers' achieved FLOP/s together (each at its median step).</summary>
    public double Rate => Workers.Sum(w => w.Rate);

    /// <summary>The workers' matrix-multiply rates together: the machine's rate as reached side by side.</summary>
    public double SummedMatmulRate => MatmulMedianSeconds.Sum(s => MatmulRate.Flops / s);

    /// <summary>The workers' summed rate as a share of <paramref name="machineRate"/> (1 = all of it).</summary>
    public double ShareOf(double machineRate) => Rate / machineRate;

    /// <summary>
    /// The machine's rate the shares are taken of: the higher of <paramref name="alone"/> (one process on all
    /// threads) and the median over <paramref name="timings"/> of the workers' summed matrix-multiply rates.
    /// </summary>
    public static double MachineRate(double alone, IReadOnlyList<WorkersTiming> timings)
    {
        var summed = timings.Select(t => t.SummedMatmulRate).Order().ToList();
        var n = summed.Count;
        return Math.Max(alone, n % 2 == 1 ? summed[n / 2] : (summed[n / 2 - 1] + summed[n / 2]) / 2);
    }
}

/// <summary>
/// <c>bench-train --workers n</c>: each workload's functional loop timed in n processes of this product side by side,
/// as <c>reproduce --workers n</c> trains, one workload after another so that the workers run the same model at
/// the same time. The machine's matrix-multiply rate is the higher of two: timed in this process on all its threads
/// between the workloads, while no worker runs, and summed over the workers, each of which times its products
/// before and after its loop while the others do the same. The workers' rates are summed against it.
/// </summary>
public static class BenchWorkers
{
    /// <summary>Matrix products timed each time: here before each workload and after the last, in a worker before and after its loop.</summary>
    public const int ProductsBetween = 5;

    /// <summary>
    /// Times each of <paramref name="workloads"/> in <paramref name="workers"/> workers of <paramref name="threadsEach"/>
    /// threads; <paramref name="loopOptions"/> are the bench-train options every worker takes (steps, warm-up, step,
    /// allocator). The matrix products' seconds are added to <paramref name="mmTimes"/>.
    /// </summary>
    public static List<WorkersTiming> Run(IReadOnlyList<TrainWorkload> workloads, int workers, int threadsEach, IReadOnlyList<string> loopOptions,
        MatmulRate mm, List<double> mmTimes, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var folder = Directory.CreateTempSubdirectory("functionalvae-bench-");
        try
        {
            mm.Time();
            var timings = new List<WorkersTiming>();
            foreach (var w in workloads)
            {
                TimeProducts(mm, mmTimes);
                output.WriteLine($"{w.Name}, batch {w.Batch}: {workers} workers x {threadsEach} thread{(threadsEach == 1 ? "" : "s")} side by side");
                var files = Enumerable.Range(1, workers).Select(i => Path.Combine(folder.FullName, $"{w.Key}-{w.Batch}-{i}.json")).ToList();
                var started = files.Select((f, i) => (SideBySide.Tag(i + 1, workers), (IReadOnlyList<string>)["bench-train",
                    "--model", w.Key, "--batch", Text(w.Batch), .. loopOptions, "--loop", "functional",
                    "--threads", Text(threadsEach), ResultsFile, f])).ToList();
                // Only the workers' errors are relayed: their tables are summed below.
                var codes = SideBySide.Run(started, TextWriter.Null, error, cancel);
                if (cancel.IsCancellationRequested || codes.Contains(ExitCodes.Interrupted))
                    throw new RunInterruptedException("interrupted: the benchmark's workers stopped.");
                var failed = codes.Select((c, i) => (c, i)).Where(x => x.c != ExitCodes.Ok).ToList();
                if (failed.Count > 0)
                    throw new RunFailedException($"bench-train's {started[failed[0].i].Item1} exited with code {failed[0].c} "
                        + "(its messages are above).");
                var runs = files.Select(BenchRun.Read).ToList();
                timings.Add(new WorkersTiming(w, runs.Select(r => r.Loops.Single()).ToList(), runs.Select(r => r.MatmulMedianSeconds).ToList()));
            }
            TimeProducts(mm, mmTimes);
            return timings;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The hidden option by which a worker is told where to write its <see cref="BenchRun"/>.</summary>
    public const string ResultsFile = "--results-file";

    /// <summary>Times <see cref="ProductsBetween"/> matrix products into <paramref name="mmTimes"/>.</summary>
    public static void TimeProducts(MatmulRate mm, List<double> mmTimes)
    {
        for (var i = 0; i < ProductsBetween; i++)
            mmTimes.Add(mm.Time());
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
