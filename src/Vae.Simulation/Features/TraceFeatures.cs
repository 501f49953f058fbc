using System.Runtime.CompilerServices;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Features;

/// <summary>
/// Computes a feature set for every trace of a dataset, in parallel over traces; each row depends only on its own
/// trace (and, for scaled traces, the dataset-wide map), so the result is the same for any thread count.
/// </summary>
public static class TraceFeatures
{
    /// <summary>Column names of a feature set.</summary>
    public static IReadOnlyList<string> Columns(FeatureSet set) => set switch
    {
        FeatureSet.Efel => EfelFeatures.Columns,
        FeatureSet.Sbi => SbiStatistics.Columns,
        _ => throw new ArgumentOutOfRangeException(nameof(set), set, "unknown feature set"),
    };

    /// <summary>
    /// The thresholds used for <paramref name="units"/>: eFEL's and sbi's in mV, or those moved into scaled units by
    /// the traces' <see cref="FeatureTraces.TrainingRange"/>.
    /// </summary>
    public static FeatureThresholds Thresholds(FeatureTraces traces, TraceUnits units)
    {
        if (units == TraceUnits.Millivolts)
            return FeatureThresholds.Millivolts;
        var (low, high) = traces.TrainingRange;
        return FeatureThresholds.Millivolts.ToScaled(low, high);
    }

    /// <summary>Features <paramref name="set"/> of every trace, read in <paramref name="units"/>; one row per trace.</summary>
    public static FeatureMatrix Compute(FeatureTraces traces, FeatureSet set, TraceUnits units, int? threads = null)
    {
        traces.Validate();
        var columns = Columns(set);
        var thresholds = Thresholds(traces, units);
        int width = columns.Count;
        var values = new double[(long)traces.Count * width];
        new TraceRowBlocks(traces, threads).ForEach(0, traces.Count, (i, stored, scratch) =>
        {
            var v = Load(traces, i, stored, units, scratch);
            ComputeRow(traces, v, set, thresholds, values.AsSpan(i * width, width), scratch);
        });
        return new FeatureMatrix(columns, traces.Count, values);
    }

    /// <summary>
    /// Trace <paramref name="i"/> as <paramref name="units"/> reads it, from its <paramref name="stored"/> samples,
    /// in the scratch's trace buffer.
    /// </summary>
    // Optimized at first call: a command computes each block once, too few calls for tiered compilation to help.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ReadOnlySpan<double> Load(FeatureTraces traces, int i, ReadOnlySpan<float> stored, TraceUnits units, FeatureScratch scratch)
    {
        var v = scratch.TraceBuffer(stored.Length);
        if (units == TraceUnits.Millivolts)
            TraceScaling.Unscale(stored, traces.RawMin[i], traces.RawMax[i], v);
        else
            for (int k = 0; k < stored.Length; k++)
                v[k] = stored[k];
        return v;
    }

    /// <summary>
    /// Features <paramref name="set"/> of one trace <paramref name="v"/> (as <see cref="Load"/> gives it) into
    /// <paramref name="row"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ComputeRow(FeatureTraces traces, ReadOnlySpan<double> v, FeatureSet set, FeatureThresholds thresholds,
        Span<double> row, FeatureScratch scratch)
    {
        if (set == FeatureSet.Efel)
            EfelFeatures.Compute(v, traces.TimeMs, traces.Stimulus, thresholds, row, scratch);
        else
            SbiStatistics.Compute(v, traces.TimeMs, traces.Stimulus, thresholds, row);
    }
}
