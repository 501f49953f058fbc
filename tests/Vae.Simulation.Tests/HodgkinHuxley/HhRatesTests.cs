using System.Runtime.Intrinsics;
using Vae.Simulation.HodgkinHuxley;

namespace Vae.Simulation.Tests.HodgkinHuxley;

public class HhRatesTests
{
    public static TheoryData<double> Offsets() => new(0.0, 1e-15, -1e-15, 1e-12, -1e-12, 1e-9, -1e-9, 1e-6, -1e-6, 1e-3, -1e-3, 0.0999, -0.0999,
        0.1001, -0.1001);

    [Theory, MemberData(nameof(Offsets))]
    public void Alpha_n_is_continuous_through_minus_55(double delta)
    {
        // alpha_n = 0.1 x/(1 - e^-x), x = (V + 55)/10; the series below is exact to 3e-17 for |x| <= 0.01.
        Assert.Equal(0.1 * Series(delta / 10), HhRates.AlphaN(-55 + delta), 1e-15);
    }

    [Theory, MemberData(nameof(Offsets))]
    public void Alpha_m_is_continuous_through_minus_40(double delta)
    {
        Assert.Equal(Series(delta / 10), HhRates.AlphaM(-40 + delta), 1e-14);
    }

    private static double Series(double x) => 1 + x / 2 + x * x / 12 - Math.Pow(x, 4) / 720;

    [Fact]
    public void Rates_take_their_limits_exactly_at_the_singularities()
    {
        Assert.Equal(0.1, HhRates.AlphaN(-55.0));
        Assert.Equal(1.0, HhRates.AlphaM(-40.0));
    }

    [Theory]
    [InlineData(-90.0)]
    [InlineData(-65.0)]
    [InlineData(-20.0)]
    [InlineData(30.0)]
    public void Away_from_singularities_the_rates_match_the_textbook_formulas(double v)
    {
        Assert.Equal(0.01 * (v + 55) / (1 - Math.Exp(-(v + 55) / 10)), HhRates.AlphaN(v), 1e-14);
        Assert.Equal(0.1 * (v + 40) / (1 - Math.Exp(-(v + 40) / 10)), HhRates.AlphaM(v), 1e-13);
    }

    [Fact]
    public void Steady_state_at_rest_has_the_textbook_values()
    {
        var (n, m, h) = HhRates.SteadyState(-65.0);
        Assert.Equal(0.3177, n, 4);
        Assert.Equal(0.0529, m, 4);
        Assert.Equal(0.5961, h, 4);
    }

    [Fact]
    public void Vector_model_agrees_with_the_scalar_model_including_at_the_singularities()
    {
        var p = HhParameters.Standard;
        var model = new HhVectorModel(p);
        var rng = new Random(7);
        var dydt = new double[4];
        var voltages = new List<double> { -55, -40, -55 + 1e-9, -40 - 1e-7, -55 + 0.0100001, -40 - 0.0099999, -65, 50, -100 };
        for (int i = 0; i < 400; i++) voltages.Add(-100 + 160 * rng.NextDouble());
        for (int i = 0; i + 4 <= voltages.Count; i += 4)
        {
            var v = Vector256.Create(voltages[i], voltages[i + 1], voltages[i + 2], voltages[i + 3]);
            var n = Vector256.Create(0.3, 0.5, 0.7, 0.1);
            var m = Vector256.Create(0.05, 0.4, 0.9, 0.2);
            var h = Vector256.Create(0.6, 0.2, 0.1, 0.8);
            var gK = Vector256.Create(26.0, 36.0, 46.0, 30.0);
            var gNa = Vector256.Create(110.0, 120.0, 130.0, 125.0);
            var cur = Vector256.Create(0.0, 15.0, 9.5, 10.0);
            model.Evaluate(gK, gNa, cur, v, n, m, h, out var dv, out var dn, out var dm, out var dh);
            for (int l = 0; l < 4; l++)
            {
                HhSystem.Derivative(p with { GK = gK[l], GNa = gNa[l] }, cur[l], v[l], n[l], m[l], h[l], dydt);
                double[] got = [dv[l], dn[l], dm[l], dh[l]];
                for (int c = 0; c < 4; c++)
                    Assert.True(Math.Abs(got[c] - dydt[c]) <= 1e-12 * (1 + Math.Abs(dydt[c])),
                        $"V = {v[l]}, component {c}: vector {got[c]:R} vs scalar {dydt[c]:R}");
            }
        }
    }
}
