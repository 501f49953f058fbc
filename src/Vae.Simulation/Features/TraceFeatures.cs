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
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount };
        // Blocks of traces per task keep scheduling overhead small against ~0.1 ms of work per trace.
        const int block = 64;
        Parallel.For(0, (traces.Count + block - 1) / block, options, () => new FeatureScratch(), (b, _, scratch) =>
        {
            for (int i = b * block; i < Math.Min(traces.Count, (b + 1) * block); i++)
                ComputeRow(traces, i, set, units, thresholds, values.AsSpan(i * width, width), scratch);
            return scratch;
        }, _ => { });
        return new FeatureMatrix(columns, traces.Count, values);
    }

    // Optimized at first call: a command computes each block once, too few calls for tiered compilation to help.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeRow(FeatureTraces traces, int i, FeatureSet set, TraceUnits units, FeatureThresholds thresholds,
        Span<double> row, FeatureScratch scratch)
    {
        int length = traces.Length;
        var v = scratch.TraceBuffer(length);
        var stored = traces.Scaled.AsSpan(i * length, length);
        if (units == TraceUnits.Millivolts)
            TraceScaling.Unscale(stored, traces.RawMin[i], traces.RawMax[i], v);
        else
            for (int k = 0; k < length; k++)
                v[k] = stored[k];
        if (set == FeatureSet.Efel)
            EfelFeatures.Compute(v, traces.TimeMs, traces.Stimulus, thresholds, row, scratch);
        else
            SbiStatistics.Compute(v, traces.TimeMs, traces.Stimulus, thresholds, row);
    }
}
