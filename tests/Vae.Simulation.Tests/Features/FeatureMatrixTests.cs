using Vae.Simulation.Features;

namespace Vae.Simulation.Tests.Features;

public class FeatureMatrixTests
{
    private static readonly FeatureMatrix M = new(["a", "b", "c"], 2, [1, 2, 3, 4, 5, double.NaN]);

    [Fact]
    public void Values_are_row_major_with_named_columns()
    {
        Assert.Equal(5.0, M[1, 1]);
        Assert.Equal([4.0, 5.0, double.NaN], M.Row(1).ToArray());
        Assert.Equal([2.0, 5.0], M.Column("b"));
        Assert.Equal(2, M.IndexOf("c"));
        Assert.Contains("a, b, c", Assert.Throws<ArgumentException>(() => M.IndexOf("d")).Message);
    }

    [Fact]
    public void Shape_and_names_are_checked()
    {
        Assert.Throws<ArgumentException>(() => new FeatureMatrix(["a", "b"], 2, [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new FeatureMatrix(["a", "a"], 1, [1, 2]));
    }
}
