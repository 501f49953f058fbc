using System.Runtime.Intrinsics;
using Vae.Simulation.Numerics;

namespace Vae.Simulation.Tests.Numerics;

public class VectorMathTests
{
    [Fact]
    public void Exp_is_within_two_ulp_of_the_scalar_exp_over_its_range()
    {
        var rng = new Random(11);
        double worst = 0;
        for (int i = 0; i < 200_000; i++)
        {
            double x = i < 100_000 ? rng.NextDouble() * 1417 - 708 : rng.NextDouble() * 40 - 20;
            double got = VectorMath.Exp(Vector256.Create(x))[0];
            double want = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(got - want) / want);
        }
        Assert.True(worst <= 4.5e-16, $"max relative error {worst:E3}");
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(-800.0, 0.0)]
    [InlineData(800.0, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    public void Exp_handles_the_ends_of_its_range(double x, double expected) =>
        Assert.Equal(expected, VectorMath.Exp(Vector256.Create(x))[0]);

    [Fact]
    public void Exp_propagates_NaN() => Assert.True(double.IsNaN(VectorMath.Exp(Vector256.Create(double.NaN))[0]));

    [Fact]
    public void Each_lane_depends_only_on_itself()
    {
        var rng = new Random(5);
        double[] neighbours = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, 1000, -1000, 1e-310];
        for (int i = 0; i < 10_000; i++)
        {
            double x = rng.NextDouble() * 40 - 20;
            double o = neighbours[i % neighbours.Length];
            double plain = VectorMath.Exp(Vector256.Create(x, 1, 2, 3))[0];
            Assert.Equal(plain, VectorMath.Exp(Vector256.Create(x, o, 2, o))[0]);
            // The step-size controller takes VectorMath.Log of every lane's error norm, finite or not.
            double y = Math.Exp(rng.NextDouble() * 1380 - 690);
            double plainLog = VectorMath.Log(Vector256.Create(y, 1, 2, 3))[0];
            Assert.Equal(plainLog, VectorMath.Log(Vector256.Create(y, o, 2, o))[0]);
            Assert.Equal(plainLog, VectorMath.Log(Vector256.Create(o, o, o, y))[3]);
        }
    }
}

public class VectorLogTests
{
    [Fact]
    public void Log_is_within_a_few_ulp_of_the_scalar_log()
    {
        var rng = new Random(13);
        double worst = 0;
        for (int i = 0; i < 200_000; i++)
        {
            double x = Math.Exp(rng.NextDouble() * 1400 - 700);
            double got = VectorMath.Log(Vector256.Create(x))[0];
            double want = Math.Log(x);
            worst = Math.Max(worst, Math.Abs(got - want) / Math.Max(Math.Abs(want), 1e-300));
        }
        Assert.True(worst <= 1e-15, $"max relative error {worst:E3}");
        Assert.Equal(0.0, VectorMath.Log(Vector256.Create(1.0))[0]);
    }
}
