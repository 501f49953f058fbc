using System.Globalization;
using Vae.Host.Cli;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments;

/// <summary>The dry run and the machine-readable list: the planned configs with their states and estimated times.</summary>
public static class DryRun
{
    /// <summary>Prints the configs of <paramref name="plan"/> in <paramref name="root"/> for a reader, and the total time left.</summary>
    public static void Print(IReadOnlyList<PlannedConfig> plan, string root, TextWriter output)
    {
        output.WriteLine($"{plan.Count} configs in {root}:");
        foreach (var c in plan)
            output.WriteLine($"  {c.Entry.Sweep,-13} {c.Entry.Name,-28} {c.State,-8} {c.EpochsDone}/{c.Entry.Config.Epochs} epochs, "
                + $"{c.StepSeconds * 1000:F0} ms/step, ~{Hours(c.RemainingSeconds)}");
        output.WriteLine($"estimated training time left: ~{Hours(plan.Sum(c => c.RemainingSeconds))} (steps only; "
            + "evaluation adds a little per epoch)");
    }

    /// <summary>
    /// What each of <c>reproduce run --workers</c>'s processes trains (<paramref name="workers"/>, one plan per worker, each
    /// with <paramref name="threads"/> threads) and the estimate of them side by side: the longest worker's time left.
    /// </summary>
    public static void PrintWorkers(IReadOnlyList<IReadOnlyList<PlannedConfig>> workers, int threads, TextWriter output)
    {
        for (var i = 0; i < workers.Count; i++)
            output.WriteLine($"{SideBySide.Tag(i + 1, workers.Count)} {threads} thread{(threads == 1 ? "" : "s")}, "
                + $"~{Hours(workers[i].Sum(c => c.RemainingSeconds))}: "
                + (workers[i].Count == 0 ? "nothing to train" : string.Join(", ", workers[i].Select(c => c.Entry.Name))));
        output.WriteLine($"with {workers.Count} workers side by side: ~{Hours(workers.Max(w => w.Sum(c => c.RemainingSeconds)))} "
            + "(the longest worker; step times are measured alone, side by side they run somewhat slower)");
    }

    /// <summary>
    /// One line per config, tab-separated: name, sweep, estimated seconds of training left (whole seconds,
    /// rounded up), state (new, partial, complete). No header, for `cut` and `while read`.
    /// </summary>
    public static void List(IReadOnlyList<PlannedConfig> plan, TextWriter output)
    {
        foreach (var c in plan)
            output.WriteLine(string.Join('\t', c.Entry.Name, c.Entry.Sweep,
                Math.Ceiling(c.RemainingSeconds).ToString(CultureInfo.InvariantCulture), c.State.ToString().ToLowerInvariant()));
    }

    /// <summary>Seconds as minutes below an hour, else hours.</summary>
    public static string Hours(double seconds) =>
        seconds < 3600 ? $"{seconds / 60:F0} min" : $"{seconds / 3600:F1} h";
}
