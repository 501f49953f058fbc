using Vae.Simulation.Features;

namespace Vae.Simulation.Tests.Features;

public class FeatureImputationTests
{
    [Fact]
    public void Columns_missing_on_fitting_rows_get_an_indicator_and_the_fitting_median()
    {
        double nan = double.NaN;
        // Rows 0-3 fit, row 4 is a test row. Column a is complete; b misses on row 1 (fitting median of 1, 3, 10 = 3)
        // and on the test row; c misses only on the test row (filled with its fitting median, no indicator).
        var m = new FeatureMatrix(["a", "b", "c"], 5,
        [
            1, 1, 2,
            2, nan, 4,
            3, 3, 6,
            4, 10, 8,
            5, nan, nan,
        ]);
        var filled = FeatureImputation.WithMissingIndicators(m, [true, true, true, true, false]);
        Assert.Equal(["a", "b", "b_missing", "c"], filled.Columns);
        Assert.Equal([1.0, 1, 0, 2], filled.Row(0).ToArray());
        Assert.Equal([2.0, 3, 1, 4], filled.Row(1).ToArray());
        Assert.Equal([5.0, 3, 1, 5], filled.Row(4).ToArray());   // c's median over 2, 4, 6, 8 is 5
        Assert.DoesNotContain(filled.Values, double.IsNaN);
    }

    [Fact]
    public void A_column_missing_on_every_fitting_row_is_filled_with_zero()
    {
        var m = new FeatureMatrix(["a"], 2, [double.NaN, 7]);
        var filled = FeatureImputation.WithMissingIndicators(m, [true, false]);
        Assert.Equal(["a", "a_missing"], filled.Columns);
        Assert.Equal([0.0, 1, 7, 0], filled.Values);
        Assert.Throws<ArgumentException>(() => FeatureImputation.WithMissingIndicators(m, [true]));
    }

    [Fact]
    public void A_fitted_plan_gives_new_rows_the_fitting_rows_columns_and_fills()
    {
        var nan = double.NaN;
        var fit = new FeatureMatrix(["a", "b"], 3, [1, nan, 3, 2, 5, 6]);
        var plan = FeatureImputation.Fit(fit, [true, true, true]);
        Assert.Equal(["a", "b", "b_missing"], plan.Output);
        // A new row: a is missing although it never was while fitting (filled, no indicator); b is missing.
        var fresh = plan.Apply(new FeatureMatrix(["a", "b"], 1, [nan, nan]));
        Assert.Equal(["a", "b", "b_missing"], fresh.Columns);
        Assert.Equal([3.0, 4, 1], fresh.Values);
        Assert.Throws<ArgumentException>(() => plan.Apply(new FeatureMatrix(["b", "a"], 1, [1, 2])));
    }
}
