using System.Runtime.CompilerServices;

namespace Vae.Simulation.Features;

/// <summary>
/// eFEL-style features of one trace (docs/features.md): the spike train during the stimulus and the shape of its
/// first spike, computed as BlueBrain eFEL defines them with <c>strict_stiminterval = True</c>, on the trace's own
/// time grid (eFEL's <c>interp_step</c> = the sampling interval) and with every ISI counted
/// (<c>ignore_first_ISI = False</c>). Undefined features are NaN.
/// </summary>
public static class EfelFeatures
{
    /// <summary>Column names, in the order <see cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{double}, StimulusWindow, FeatureThresholds)"/>
    /// fills them.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "spike_count", "time_to_first_spike", "mean_frequency", "mean_ISI", "ISI_CV",
        "AP1_amp", "AP1_duration_half_width", "AHP1_depth", "voltage_base",
    ];

    private const int SpikeCount = 0, TimeToFirstSpike = 1, MeanFrequency = 2, MeanIsi = 3, IsiCv = 4,
        Ap1Amp = 5, Ap1HalfWidth = 6, Ahp1Depth = 7, VoltageBase = 8;

    /// <summary>The features of trace <paramref name="v"/> sampled at times <paramref name="t"/> (ms).</summary>
    public static double[] Compute(ReadOnlySpan<double> v, ReadOnlySpan<double> t, StimulusWindow window, FeatureThresholds thresholds)
    {
        var row = new double[Columns.Count];
        Compute(v, t, window, thresholds, row, new FeatureScratch());
        return row;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Compute(ReadOnlySpan<double> v, ReadOnlySpan<double> t, StimulusWindow window,
        FeatureThresholds thresholds, Span<double> row, FeatureScratch scratch)
    {
        if (v.Length != t.Length)
            throw new ArgumentException($"the trace has {v.Length} samples but its time axis {t.Length}.");
        row.Fill(double.NaN);
        var peaks = scratch.Peaks;
        if (v.Length >= 3)
            EfelPeaks.Find(v, t, thresholds.SpikeThreshold, window, peaks, scratch.Up, scratch.Down);
        else
            peaks.Clear();
        int n = peaks.Count;
        row[SpikeCount] = n;
        row[VoltageBase] = VoltageBaseOf(v, t, window.OnsetMs, thresholds.VoltageBaseFraction);
        if (n == 0)
            return;

        double first = t[peaks[0]], last = t[peaks[n - 1]];
        row[TimeToFirstSpike] = first - window.OnsetMs;
        // eFEL's mean_frequency: spikes per second up to the last one, counted from onset.
        if (last > window.OnsetMs)
            row[MeanFrequency] = n * 1000.0 / (last - window.OnsetMs);
        if (n >= 2)
        {
            double mean = (last - first) / (n - 1);
            row[MeanIsi] = mean;
            if (n >= 3)
            {
                // eFEL's ISI_CV: sample standard deviation (ddof 1) over the mean.
                double sum = 0;
                for (int k = 1; k < n; k++)
                {
                    double d = t[peaks[k]] - t[peaks[k - 1]] - mean;
                    sum += d * d;
                }
                row[IsiCv] = Math.Sqrt(sum / (n - 2)) / mean;
            }
        }
        FirstSpikeShape(v, t, window, thresholds, peaks, row);
    }

    private static void FirstSpikeShape(ReadOnlySpan<double> v, ReadOnlySpan<double> t, StimulusWindow window,
        FeatureThresholds thresholds, List<int> peaks, Span<double> row)
    {
        int peak = peaks[0];
        // AHP: the first minimum from the first peak to the second one, or to the end of the stimulus (or trace);
        // eFEL discards a minimum on the last sample of that range (the voltage is still falling there).
        int stimulusEnd = EfelSpikeShape.FirstIndexAtOrAfter(t, window.EndMs);
        int ahpTo = peaks.Count > 1 ? peaks[1] : stimulusEnd;
        int ahp = EfelSpikeShape.FirstMinimum(v, peak, ahpTo);
        if (ahp >= 0 && ahp != stimulusEnd - 1)
            row[Ahp1Depth] = v[ahp] - row[VoltageBase];

        int stimulusBegin = EfelSpikeShape.FirstIndexAtOrAfter(t, window.OnsetMs);
        // eFEL only looks for AP begins of peaks after the stimulus's first sample.
        if (peak <= stimulusBegin)
            return;
        int begin = EfelSpikeShape.ApBegin(v, t, peak, EfelSpikeShape.FirstSpikeSearchStart(stimulusBegin),
            thresholds.DerivativeThreshold, thresholds.DerivativeWindow);
        if (begin < 0)
            return;
        row[Ap1Amp] = v[peak] - v[begin];
        int end = EfelSpikeShape.ApEnd(v, t, peak, peaks.Count > 1 ? peaks[1] : v.Length - 1, thresholds.DownDerivativeThreshold);
        if (end < 0)
            return;
        double half = (v[peak] + v[begin]) / 2;
        int rise = EfelSpikeShape.Closest(v, begin, peak, half);
        int fall = EfelSpikeShape.Closest(v, peak, end, half);
        row[Ap1HalfWidth] = t[fall] - t[rise];
    }

    /// <summary>
    /// eFEL's voltage_base: mean V over <c>(1 - fraction) onset &lt;= t &lt;= onset</c> (both ends within 1e-10 ms,
    /// eFEL's precision_threshold, so a grid time that rounds just past a bound still counts); NaN when the stimulus
    /// starts at 0 or no sample falls inside.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double VoltageBaseOf(ReadOnlySpan<double> v, ReadOnlySpan<double> t, double onsetMs, double fraction)
    {
        double start = onsetMs * (1 - fraction), end = onsetMs;
        if (!(start < end))
            return double.NaN;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < t.Length && t[i] - end < 1e-10; i++)
            if (t[i] >= start - 1e-10)
            {
                sum += v[i];
                count++;
            }
        return count > 0 ? sum / count : double.NaN;
    }
}
