using Vae.Runs.Data;
using Vae.Simulation.Features;
using static TorchSharp.torch;

namespace Vae.Runs.Analysis;

/// <summary>The hand-crafted feature sets of the traces as representations for the recovery table.</summary>
public static class FeatureRepresentations
{
    /// <summary>
    /// eFEL-style and sbi features of the training and test traces, in mV and on the scaled traces (docs/features.md),
    /// with missing values replaced by the training split's median plus an indicator column, fitted on the training rows.
    /// </summary>
    public static IEnumerable<HhAnalysis.Representation> Of(HhTraces data, Action<string> log)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Read from the file a block of rows at a time (of a large file, AnalysisSample's rows).
        var file = data.File;
        var traces = FeatureTraces.From(file);
        // The rows in the order the training data holds them (file order within each split).
        var (train, test) = (file.TrainIndices, file.TestIndices);
        var reps = new List<HhAnalysis.Representation>();
        foreach (var units in new[] { TraceUnits.Millivolts, TraceUnits.Scaled })
            foreach (var set in new[] { FeatureSet.Efel, FeatureSet.Sbi })
            {
                var filled = FeatureImputation.WithMissingIndicators(TraceFeatures.Compute(traces, set, units), traces.IsTrain);
                reps.Add(new(AnalysisResult.FeatureSetName(Name(set)), Input(units), Rows(filled, train), Rows(filled, test)));
            }
        log($"  hand-crafted features of {file.Count} traces in {clock.Elapsed.TotalSeconds:F1} s");
        return reps;
    }

    private static string Name(FeatureSet set) => set switch
    {
        FeatureSet.Efel => "eFEL-style",
        FeatureSet.Sbi => "sbi",
        _ => throw new ArgumentOutOfRangeException(nameof(set), set, null),
    };

    private static string Input(TraceUnits units) => units switch
    {
        TraceUnits.Millivolts => "traces in mV",
        TraceUnits.Scaled => "each trace scaled to [0, 1] (thresholds through one dataset-wide map)",
        _ => throw new ArgumentOutOfRangeException(nameof(units), units, null),
    };

    private static Tensor Rows(FeatureMatrix m, int[] rows)
    {
        var width = m.Columns.Count;
        var values = new double[rows.Length * width];
        for (var k = 0; k < rows.Length; k++)
            m.Row(rows[k]).CopyTo(values.AsSpan(k * width, width));
        return tensor(values, [rows.Length, width], ScalarType.Float64);
    }
}
