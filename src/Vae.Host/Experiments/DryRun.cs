using System.Globalization;

namespace Vae.Host.Experiments;

/// <summary>The dry run and the machine-readable list: the planned configs with their states and estimated times.</summary>
public static class DryRun
{
    /// <summary>Prints the configs of <paramref name="plan"/> in <paramref name="root"/> for a reader, and the total time left.</summary>
    public static void Print(IReadOnlyList<PlannedConfig> plan, string root, TextWriter output)
    {
        output.WriteLine($"{plan.Count} configs in {root}:");
        foreach (var c in plan)
            output.WriteLine($"  {c.Entry.Sweep,-13} {c.Entry.Name,-28} {c.State,-8} {c.EpochsDone}/{c.Entry.Config.Epochs} epochs, {c.StepSeconds * 1000:F0} ms/step, ~{Hours(c.RemainingSeconds)}");
        output.WriteLine($"estimated training time left: ~{Hours(plan.Sum(c => c.RemainingSeconds))} (steps only; evaluation adds a little per epoch)");
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
