using System.Runtime.CompilerServices;

namespace Vae.Simulation.Features;

/// <summary>
/// The 7 summary statistics of sbi's Hodgkin-Huxley example (docs/tutorials/HH_helper_functions.py,
/// <c>calculate_summary_statistics</c>): spike count during the stimulus; mean of V before onset and standard
/// deviation over the last 10 % before onset; mean, variance, skewness and kurtosis (not excess: m4 / sigma^4) of V
/// while the stimulus is on (<c>onset &lt; t &lt; end</c>). Moments are population moments (numpy/scipy defaults).
/// </summary>
public static class SbiStatistics
{
    /// <summary>Column names, in the order <see cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{double}, StimulusWindow, FeatureThresholds)"/>
    /// fills them.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "spike_count", "rest_mean", "rest_std", "stim_mean", "stim_variance", "stim_skewness", "stim_kurtosis",
    ];

    private const int SpikeCount = 0, RestMean = 1, RestStd = 2, StimMean = 3, StimVariance = 4, StimSkewness = 5, StimKurtosis = 6;

    /// <summary>The statistics of trace <paramref name="v"/> sampled at times <paramref name="t"/> (ms).</summary>
    public static double[] Compute(ReadOnlySpan<double> v, ReadOnlySpan<double> t, StimulusWindow window, FeatureThresholds thresholds)
    {
        var row = new double[Columns.Count];
        Compute(v, t, window, thresholds, row);
        return row;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Compute(ReadOnlySpan<double> v, ReadOnlySpan<double> t, StimulusWindow window,
        FeatureThresholds thresholds, Span<double> row)
    {
        if (v.Length != t.Length)
            throw new ArgumentException($"the trace has {v.Length} samples but its time axis {t.Length}.");
        row[SpikeCount] = SpikeCountOf(v, t, window, thresholds.SbiSpikeThreshold, thresholds.SbiMinSpikeSeparationMs);

        double onset = window.OnsetMs, restStart = onset * (1 - thresholds.VoltageBaseFraction);
        int onsetIndex = EfelSpikeShape.FirstIndexAtOrAfter(t, onset);
        row[RestMean] = Mean(v[..onsetIndex]);
        // sbi slices samples [int(0.9 onset / dt), int(onset / dt)): on a grid t = k dt that is restStart <= t < onset
        // (bounds within 1e-10 ms so a grid time that rounds just below a bound does not move it by a sample).
        int restFrom = EfelSpikeShape.FirstIndexAtOrAfter(t, restStart - 1e-10);
        int restTo = EfelSpikeShape.FirstIndexAtOrAfter(t, onset - 1e-10);
        row[RestStd] = Math.Sqrt(Moments(v[restFrom..Math.Max(restFrom, restTo)]).M2);

        int from = onsetIndex;
        while (from < t.Length && !(t[from] > onset))
            from++;
        int to = Math.Max(from, EfelSpikeShape.FirstIndexAtOrAfter(t, window.EndMs));
        var (mean, m2, m3, m4) = Moments(v[from..to]);
        row[StimMean] = mean;
        row[StimVariance] = m2;
        row[StimSkewness] = m3 / (m2 * Math.Sqrt(m2));
        row[StimKurtosis] = m4 / (m2 * m2);
    }

    /// <summary>
    /// sbi's spike count: V is clamped from below at <paramref name="threshold"/>, every sample followed by a lower one
    /// is set to the threshold too, and each remaining sample followed by a lower one marks a spike (the sample
    /// before a peak); those with <c>onset &lt; t &lt; end</c> count, except one within
    /// <paramref name="minSeparationMs"/> of the previous.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SpikeCountOf(ReadOnlySpan<double> v, ReadOnlySpan<double> t, StimulusWindow window, double threshold, double minSeparationMs)
    {
        int n = v.Length, count = 0;
        if (n < 2)
            return 0;
        double previous = double.NaN;
        // Sliding over the clamped trace w: sample i after both steps is the threshold where w falls next, else w[i]
        // (the last sample has no next and stays w).
        double here = Math.Max(v[0], threshold), next = Math.Max(v[1], threshold);
        double keptBefore = next < here ? threshold : here;
        for (int i = 1; i < n; i++)
        {
            here = next;
            next = i + 1 < n ? Math.Max(v[i + 1], threshold) : double.PositiveInfinity;
            double kept = next < here ? threshold : here;
            if (keptBefore > kept)
            {
                double time = t[i - 1];
                // sbi compares each mark in the window with the previous one there, counted or not.
                if (time > window.OnsetMs && time < window.EndMs)
                {
                    if (double.IsNaN(previous) || time - previous > minSeparationMs)
                        count++;
                    previous = time;
                }
            }
            keptBefore = kept;
        }
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Mean(ReadOnlySpan<double> v)
    {
        if (v.IsEmpty)
            return double.NaN;
        double sum = 0;
        foreach (double x in v)
            sum += x;
        return sum / v.Length;
    }

    // Mean and population central moments 2-4 (second pass about the mean, for accuracy); NaN for no samples.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Mean, double M2, double M3, double M4) Moments(ReadOnlySpan<double> v)
    {
        double mean = Mean(v), m2 = 0, m3 = 0, m4 = 0;
        foreach (double x in v)
        {
            double d = x - mean, d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        int n = v.Length;
        return v.IsEmpty ? (double.NaN, double.NaN, double.NaN, double.NaN) : (mean, m2 / n, m3 / n, m4 / n);
    }
}
