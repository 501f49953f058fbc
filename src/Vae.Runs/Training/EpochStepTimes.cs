namespace Vae.Runs.Training;

/// <summary>
/// The training-step times of one epoch and their percentiles, which show whether steps slow down within
/// an epoch or from one epoch to the next (the epoch time alone mixes both with the evaluation).
/// </summary>
public sealed class EpochStepTimes(int capacity)
{
    private static readonly (string Key, double Quantile)[] Percentiles =
        [("step_ms_p10", 0.1), ("step_ms_p50", 0.5), ("step_ms_p90", 0.9), ("step_ms_max", 1.0)];

    private readonly List<double> _seconds = new(capacity);

    /// <summary>The keys <see cref="AddTo"/> adds to a row: the percentiles and the maximum, in milliseconds.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Percentiles.Select(p => p.Key)];

    /// <summary>Records one step's duration.</summary>
    public void Add(double seconds) => _seconds.Add(seconds);

    /// <summary>Adds the 10th, 50th and 90th percentile and the maximum, in milliseconds, to <paramref name="row"/>.</summary>
    public void AddTo(IDictionary<string, double> row)
    {
        if (_seconds.Count == 0)
            return;
        var sorted = _seconds.Order().ToArray();
        foreach (var (key, q) in Percentiles)
            row[key] = sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * sorted.Length))] * 1e3;
    }

    /// <summary>"steps p10/p50/p90/max 41/45/52/80 ms" from a row filled by <see cref="AddTo"/>, or null.</summary>
    public static string? Describe(IReadOnlyDictionary<string, double> row) =>
        Percentiles.All(p => row.ContainsKey(p.Key))
            ? $"steps p10/p50/p90/max {string.Join("/", Percentiles.Select(p => row[p.Key].ToString("F0")))} ms"
            : null;
}
