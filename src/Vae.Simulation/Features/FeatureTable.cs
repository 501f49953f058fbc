namespace Vae.Simulation.Features;

/// <summary>
/// Every feature set in both units for every trace of a dataset, with what identifies each trace (its split and
/// conductances): what the <c>features</c> command writes. Feature columns are named
/// <c>&lt;set&gt;_&lt;feature&gt;_&lt;units&gt;</c>, e.g. <c>efel_AP1_amp_mV</c> or <c>sbi_stim_mean_scaled</c>.
/// </summary>
/// <param name="Features">One row per trace; columns for eFEL then sbi, in mV then scaled.</param>
/// <param name="IsTrain">Whether each trace is in the training split.</param>
/// <param name="GK">gK of each trace (mS/cm2).</param>
/// <param name="GNa">gNa of each trace (mS/cm2).</param>
/// <param name="Stimulus">The stimulus window the features used.</param>
/// <param name="ScaledMap">The dataset-wide map (mV) that moved the thresholds into scaled units.</param>
public sealed record FeatureTable(FeatureMatrix Features, bool[] IsTrain, double[] GK, double[] GNa,
    StimulusWindow Stimulus, (double Low, double High) ScaledMap)
{
    /// <summary>The sets and units in column order.</summary>
    public static IReadOnlyList<(FeatureSet Set, TraceUnits Units)> Blocks { get; } =
    [
        (FeatureSet.Efel, TraceUnits.Millivolts), (FeatureSet.Sbi, TraceUnits.Millivolts),
        (FeatureSet.Efel, TraceUnits.Scaled), (FeatureSet.Sbi, TraceUnits.Scaled),
    ];

    /// <summary>The table's name for <paramref name="feature"/> of <paramref name="set"/> read in <paramref name="units"/>.</summary>
    public static string ColumnName(FeatureSet set, TraceUnits units, string feature) =>
        $"{(set == FeatureSet.Efel ? "efel" : "sbi")}_{feature}_{(units == TraceUnits.Millivolts ? "mV" : "scaled")}";

    /// <summary>
    /// Computes every block for <paramref name="traces"/> in one pass over them (<see cref="FeatureTableRows"/>);
    /// <paramref name="parameters"/> holds gK, gNa per trace (row-major N x 2, as dataset files store them).
    /// </summary>
    public static FeatureTable Compute(FeatureTraces traces, double[] parameters, int? threads = null)
    {
        if (parameters.Length != 2 * traces.Count)
            throw new ArgumentException($"{parameters.Length} parameters for {traces.Count} traces; need gK, gNa per trace.", nameof(parameters));
        var rows = new FeatureTableRows(traces, threads);
        int n = traces.Count;
        var values = new double[(long)n * rows.Columns.Count];
        rows.Compute(0, n, values);
        return new FeatureTable(new FeatureMatrix(rows.Columns, n, values), traces.IsTrain, Conductance(parameters, 0), Conductance(parameters, 1),
            traces.Stimulus, rows.ScaledMap);
    }

    /// <summary>Column <paramref name="column"/> (0 gK, 1 gNa) of parameters stored row-major N x 2.</summary>
    public static double[] Conductance(double[] parameters, int column) =>
        Enumerable.Range(0, parameters.Length / 2).Select(i => parameters[2 * i + column]).ToArray();
}
