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
    public static FeatureMatrix WithMissingIndicators(FeatureMatrix features, bool[] fitRows)
    {
        if (fitRows.Length != features.Rows)
            throw new ArgumentException($"{fitRows.Length} row flags for {features.Rows} rows.", nameof(fitRows));
        int rows = features.Rows, width = features.Columns.Count;
        var columns = new List<string>();
        var sources = new List<(int Column, bool Indicator, double Fill)>();
        for (int j = 0; j < width; j++)
        {
            var fitted = Enumerable.Range(0, rows).Where(i => fitRows[i]).Select(i => features[i, j]).ToArray();
            var finite = fitted.Where(double.IsFinite).Order().ToArray();
            double median = finite.Length == 0 ? 0.0
                : finite.Length % 2 == 1 ? finite[finite.Length / 2]
                : (finite[finite.Length / 2 - 1] + finite[finite.Length / 2]) / 2;
            columns.Add(features.Columns[j]);
            sources.Add((j, false, median));
            if (fitted.Any(double.IsNaN))
            {
                columns.Add(features.Columns[j] + MissingSuffix);
                sources.Add((j, true, median));
            }
        }
        var values = new double[(long)rows * columns.Count];
        for (int i = 0; i < rows; i++)
            for (int c = 0; c < sources.Count; c++)
            {
                var (j, indicator, fill) = sources[c];
                double x = features[i, j];
                values[i * columns.Count + c] = indicator ? (double.IsNaN(x) ? 1.0 : 0.0) : double.IsNaN(x) ? fill : x;
            }
        return new FeatureMatrix(columns, rows, values);
    }
}
