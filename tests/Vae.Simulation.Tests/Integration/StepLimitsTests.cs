using System.Runtime.Intrinsics;
using Vae.Simulation.Integration;

namespace Vae.Simulation.Tests.Integration;

public class StepLimitsTests
{
    [Fact]
    public void The_lane_wise_minimum_step_is_the_scalar_one_bit_for_bit()
    {
        var rng = new Random(3);
        double[] special = [0.0, -0.0, double.Epsilon, 1e-310, 1.0, -1.0, 250.0, 1e300, -1e300, double.MaxValue];
        var times = special.Concat(Enumerable.Range(0, 10_000).Select(_ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-30, 30)))).ToArray();
        for (int i = 0; i + 4 <= times.Length; i += 4)
        {
            var lanes = StepLimits.MinStep(Vector256.Create(times.AsSpan(i, 4)));
            for (int l = 0; l < 4; l++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(StepLimits.MinStep(times[i + l])), BitConverter.DoubleToInt64Bits(lanes[l]));
        }
        Assert.Equal(10 * double.Epsilon, StepLimits.MinStep(0.0));
        Assert.Equal(10 * Math.Pow(2, -52) * 128, StepLimits.MinStep(200.0));
    }

    [Fact]
    public void A_solve_stops_for_non_finite_states_then_the_step_limit_then_underflow()
    {
        int max = StepLimits.MaxNonFiniteAttempts;
        Assert.Null(StepLimits.Stop(10, 100, 1e-3, 5.0, 0));
        Assert.Equal(ReturnCode.NonFiniteState, StepLimits.Stop(100, 100, 1e-3, 5.0, max + 1));
        Assert.Null(StepLimits.Stop(10, 100, 1e-3, 5.0, max));
        Assert.Equal(ReturnCode.MaxStepsExceeded, StepLimits.Stop(100, 100, 1e-30, 5.0, 3));
        Assert.Equal(ReturnCode.StepSizeUnderflow, StepLimits.Stop(10, 100, 1e-15, 5.0, 0));
        Assert.Equal(ReturnCode.NonFiniteState, StepLimits.Stop(10, 100, 1e-15, 5.0, 2));
        Assert.Null(StepLimits.Stop(10, 100, StepLimits.MinStep(5.0), 5.0, 0));
    }
}
