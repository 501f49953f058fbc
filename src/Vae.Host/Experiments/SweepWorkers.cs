using Vae.Runs;
using System.Globalization;
using Vae.Host.Cli;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments;

/// <summary>
/// <c>reproduce run --workers n</c>: n processes of this product side by side on one machine, each training its shard of
/// the experiment (<c>reproduce shard i/n</c>, the same split every process computes), their output relayed line by line
/// under a <c>[worker i/n]</c> prefix. Several small processes use a few cores better than one process with all of
/// them: libtorch's threads of one process wait on each other between the many small operations of a step.
/// </summary>
public static class SweepWorkers
{
    /// <summary>
    /// Trains <paramref name="shards"/> (the experiment's plan split as <see cref="SweepPlan.Shards"/> does, which each
    /// worker repeats for its <c>reproduce shard i/n</c>) in one worker each with <paramref name="threads"/> threads;
    /// <paramref name="options"/> are the experiment's reproduce options and selection. Workers with nothing to train
    /// are not started. A worker that failed is named on <paramref name="error"/> and counted as a failure; an
    /// interruption of this process or of a worker throws <see cref="RunInterruptedException"/> once all have stopped.
    /// </summary>
    public static SweepOutcome TrainShards(IReadOnlyList<List<PlannedConfig>> shards, IReadOnlyList<string> options, int threads,
        TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var started = Enumerable.Range(1, shards.Count).Where(i => shards[i - 1].Count > 0)
            .Select(i => (SideBySide.Tag(i, shards.Count), (IReadOnlyList<string>)["reproduce", "shard", $"{i}/{shards.Count}", .. options,
                "--threads", threads.ToString(CultureInfo.InvariantCulture), "--no-report"]))
            .ToList();
        var codes = SideBySide.Run(started, output, error, cancel);
        if (cancel.IsCancellationRequested || codes.Contains(ExitCodes.Interrupted))
            throw new RunInterruptedException("interrupted: the workers stopped at safe points; run the same command again to resume.");
        for (var i = 0; i < codes.Length; i++)
            if (codes[i] != ExitCodes.Ok)
                error.WriteLine($"error: {started[i].Item1} exited with code {codes[i]} (its messages are above).");
        return new SweepOutcome(codes.Count(c => c != ExitCodes.Ok), 0);
    }
}
