namespace Vae.Runs.Metrics;

/// <summary>The training-step times of one epoch, collected as it runs, and their percentiles.</summary>
public sealed class EpochStepTimes(int capacity)
{
    private readonly List<double> _seconds = new(capacity);

    /// <summary>Records one step's duration.</summary>
    public void Add(double seconds) => _seconds.Add(seconds);

    /// <summary>The 10th, 50th and 90th percentile and the maximum, in milliseconds; null before any step.</summary>
    public StepTimePercentiles? Percentiles()
    {
        if (_seconds.Count == 0)
            return null;
        var sorted = _seconds.Order().ToArray();
        double Ms(double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * sorted.Length))] * 1e3;
        return new StepTimePercentiles(Ms(0.1), Ms(0.5), Ms(0.9), Ms(1.0));
    }
}
