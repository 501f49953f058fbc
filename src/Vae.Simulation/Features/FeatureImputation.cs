namespace Vae.Simulation.Features;

/// <summary>
/// The missing-value policy for regressing on features (docs/features.md, "Missing values"): a feature that is NaN
/// for some fitting rows gets an indicator column, and its NaNs are filled with the median of the fitting rows.
/// </summary>
public static class FeatureImputation
{
    /// <summary>Suffix of the indicator column added for a column with missing values.</summary>
    public const string MissingSuffix = "_missing";

    /// <summary>
    /// <paramref name="features"/> without NaN: for each column with a NaN in a row where <paramref name="fitRows"/> is
    /// true, every NaN (in any row) becomes that column's median over the finite fitting rows (0 when there is none)
    /// and a column <c>name_missing</c> (1 where the value was NaN, else 0) follows it. A NaN only in rows not fitted
    /// on is filled with the median too, without an indicator, so test rows never change the columns.
    /// </summary>
    public static FeatureMatrix WithMissingIndicators(FeatureMatrix features, bool[] fitRows) => Fit(features, fitRows).Apply(features);

    /// <summary>The fill of each column and which columns get an indicator, fitted on the rows <paramref name="fitRows"/> marks.</summary>
    public static ImputationPlan Fit(FeatureMatrix features, bool[] fitRows)
    {
        if (fitRows.Length != features.Rows)
            throw new ArgumentException($"{fitRows.Length} row flags for {features.Rows} rows.", nameof(fitRows));
        int rows = features.Rows, width = features.Columns.Count;
        var (fills, indicators) = (new double[width], new bool[width]);
        for (int j = 0; j < width; j++)
        {
            var fitted = Enumerable.Range(0, rows).Where(i => fitRows[i]).Select(i => features[i, j]).ToArray();
            var finite = fitted.Where(double.IsFinite).Order().ToArray();
            fills[j] = finite.Length == 0 ? 0.0
                : finite.Length % 2 == 1 ? finite[finite.Length / 2]
                : (finite[finite.Length / 2 - 1] + finite[finite.Length / 2]) / 2;
            indicators[j] = fitted.Any(double.IsNaN);
        }
        return new ImputationPlan([.. features.Columns], fills, indicators);
    }
}

/// <summary>
/// A fitted missing-value policy: column j's NaNs become <paramref name="Fills"/>[j], and where
/// <paramref name="Indicators"/>[j] a 0/1 column <c>name_missing</c> follows it. Applied alike to the rows it was fitted
/// on and to new ones (a trace to infer from), so both have the same columns.
/// </summary>
public sealed record ImputationPlan(string[] Columns, double[] Fills, bool[] Indicators)
{
    /// <summary>The columns of the result: each feature, then its indicator where it has one.</summary>
    public string[] Output =>
        [.. Columns.SelectMany((c, j) => Indicators[j] ? new[] { c, c + FeatureImputation.MissingSuffix } : [c])];

    /// <summary><paramref name="features"/> (the columns this plan was fitted on) filled, with the indicator columns.</summary>
    public FeatureMatrix Apply(FeatureMatrix features)
    {
        if (!features.Columns.SequenceEqual(Columns))
            throw new ArgumentException($"the plan was fitted on columns {string.Join(",", Columns)}, got {string.Join(",", features.Columns)}.",
                nameof(features));
        var output = Output;
        var values = new double[(long)features.Rows * output.Length];
        for (int i = 0; i < features.Rows; i++)
        {
            int c = 0;
            for (int j = 0; j < Columns.Length; j++)
            {
                double x = features[i, j];
                values[i * output.Length + c++] = double.IsNaN(x) ? Fills[j] : x;
                if (Indicators[j])
                    values[i * output.Length + c++] = double.IsNaN(x) ? 1.0 : 0.0;
            }
        }
        return new FeatureMatrix(output, features.Rows, values);
    }
}
