using Vae.Runs.Data;
using Vae.Simulation.Storage;

namespace Vae.Runs.Tests.Data;

/// <summary>The dataset-wide map's model input, to the bit: the file's per-trace scaling undone, then the map.</summary>
public sealed class DatasetScalingTests
{
    [Fact]
    public void Apply_gives_the_affine_map_of_the_millivolts_to_the_bit()
    {
        const int count = 3, length = 37;
        var rng = new Random(7);
        var traces = Enumerable.Range(0, count * length).Select(_ => (float)rng.NextDouble()).ToArray();
        double[] rawMin = [-80.125, -71.3, -65.0], rawMax = [40.5, 12.75, -64.9];
        var hh = new HhFile("mem.h5", traces, count, length, rawMin, rawMax, new double[2 * count], new double[length],
            [0, 0, 1], "protocol", "seed");
        var map = TraceScaling.Fit(hh, hh.TrainIndices);
        var row = new float[length];
        for (var i = 0; i < count; i++)
        {
            map.Apply(hh, i, row);
            var span = rawMax[i] - rawMin[i];
            var expected = Enumerable.Range(0, length)
                .Select(t => (float)((traces[i * length + t] * span + rawMin[i] - map.Offset) / map.Scale)).ToArray();
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), row.Select(BitConverter.SingleToInt32Bits));
        }
    }
}
