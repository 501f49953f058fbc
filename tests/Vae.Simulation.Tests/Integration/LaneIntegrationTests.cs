using System.Runtime.Intrinsics;
using Vae.Simulation.Integration;

namespace Vae.Simulation.Tests.Integration;

/// <summary>The lane-wise controller and dense output against the scalar ones they mirror.</summary>
public class LaneIntegrationTests
{
    [Theory, MemberData(nameof(TableauTests.Names), MemberType = typeof(TableauTests))]
    public void Lane_controller_decides_like_the_scalar_controller(string tableau)
    {
        var config = PiControllerConfig.ForErrorOrder(Tableaus.Find(tableau)!.EmbeddedOrder);
        var lanes = new LanePiController(config);
        var scalar = new PiControllerState[4];
        Array.Fill(scalar, PiControllerState.Initial);
        var logPrevious = Vector256.Create(LanePiController.InitialLogPreviousError);
        var lastRejected = Vector256<double>.Zero;
        var rng = new Random(17);
        for (int round = 0; round < 2000; round++)
        {
            // Errors around 1 (both decisions), tiny ones (growth clamped) and now and then a NaN (a non-finite attempt).
            var errors = new double[4];
            for (int l = 0; l < 4; l++)
                errors[l] = rng.Next(50) == 0 ? double.NaN : Math.Exp(rng.NextDouble() * 6 - 4) * (rng.Next(10) == 0 ? 1e-12 : 1);
            var finite = Vector256.Equals(Vector256.Create(errors) - Vector256.Create(errors), Vector256<double>.Zero);
            var accept = lanes.Decide(Vector256.Create(errors), finite, ref logPrevious, ref lastRejected, out var factor);
            for (int l = 0; l < 4; l++)
            {
                double expected = scalar[l].Next(config, errors[l], out bool accepted);
                Assert.Equal(accepted, accept[l] != 0);
                Assert.Equal(expected, factor[l], 1e-13 * expected);
                Assert.Equal(Math.Log(scalar[l].PreviousError), logPrevious[l], 1e-13);
            }
        }
    }

    [Theory, MemberData(nameof(TableauTests.Names), MemberType = typeof(TableauTests))]
    public void Lane_dense_output_samples_the_scalar_interpolant(string tableau)
    {
        var tab = Tableaus.Find(tableau)!;
        var rng = new Random(5);
        // One step of a 2-component system in each of four lanes, stages stored lane-wise as the batch integrator does.
        var k = new Vector256<double>[tab.Stages * 2];
        var scalarK = new double[4][];
        for (int l = 0; l < 4; l++)
            scalarK[l] = Enumerable.Range(0, tab.Stages * 2).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        for (int i = 0; i < k.Length; i++)
            k[i] = Vector256.Create(scalarK[0][i], scalarK[1][i], scalarK[2][i], scalarK[3][i]);
        var q = new double[4 * LaneDenseOutput.Lanes];
        LaneDenseOutput.Coefficients(tab, k, stride: 2, component: 1, q);

        var times = Enumerable.Range(0, 40).Select(i => 1.0 + i * 0.01).ToArray();
        for (int l = 0; l < 4; l++)
        {
            double t0 = 1.0, h = 0.2 + 0.05 * l, y0 = 3.0 - l;
            var step = LaneDenseStep.Of(l, t0, h, t0 + h, y0, -7.0, q, tab.DenseDegree);
            var output = new double[times.Length];
            int next = step.Fill(times, output, 0);
            Assert.Equal(times.Count(t => t <= t0 + h), next);
            var y = new double[2];
            for (int o = 0; o < next; o++)
            {
                if (times[o] == t0 + h) { Assert.Equal(-7.0, output[o]); continue; }
                DenseOutput.Evaluate(tab, [0.0, y0], scalarK[l], h, (times[o] - t0) / h, y);
                Assert.Equal(y[1], output[o], 1e-12);
            }
        }
    }
}
