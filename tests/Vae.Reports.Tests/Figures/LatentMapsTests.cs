using Vae.Runs.Data;
using Vae.Reports.Figures;
using Vae.Runs.Models;
using Vae.Model;
using Vae.Runs.Training;
using Vae.Simulation.Storage;
using static TorchSharp.torch;
using Vae.Runs.Settings;

namespace Vae.Reports.Tests.Figures;

/// <summary>Latent maps from a stand-in model whose posterior means are given.</summary>
public sealed class LatentMapsTests
{
    private sealed class FixedCodes(float[,] mu) : ITrainedModel
    {
        public int LatentDim => mu.GetLength(1);
        public (Tensor Mu, Tensor LogVar) Encode(Tensor data) => (tensor(mu), zeros(mu.GetLength(0), mu.GetLength(1)));
        public Losses.Metrics Evaluate(IEnumerable<Tensor> batches, double beta, Generator gen) => throw new NotSupportedException();
        public Tensor Reconstruct(Tensor batch) => throw new NotSupportedException();
        public Tensor Generate(Generator gen, int count) => throw new NotSupportedException();
        public Tensor PriorCodes(Generator gen, int count) => throw new NotSupportedException();
        public Tensor Decode(Tensor codes) => throw new NotSupportedException();
        public bool HasLikelihood => false;
        public double[] NegativeLogLikelihood(Tensor data, int samples, Generator gen) => throw new NotSupportedException();
        public Tensor Traverse(double[] baseCode, int[] dims, double[] probabilities) => throw new NotSupportedException();
    }

    // Two training traces, then n test traces with gK = 30 + i and gNa = 110 + 2i, three samples each, in memory.
    private static HhTraces Traces(int n)
    {
        var count = 2 + n;
        var parameters = Enumerable.Range(0, count).SelectMany(i => i < 2 ? [20.0, 100.0] : new[] { 30.0 + i - 2, 110.0 + 2 * (i - 2) }).ToArray();
        var split = Enumerable.Range(0, count).Select(i => (byte)(i < 2 ? 0 : 1)).ToArray();
        var file = new HhFile("in memory", new float[count * 3], count, 3, new double[count], new double[count], parameters, [0.0, 1, 2],
            split, "test", "0");
        return new HhTraces(HhModelInput.For(new TrainConfig { Scaling = ScalingMode.Trace }, file, RecordedData.None), "test traces");
    }

    private static MnistImages Digits(int n) =>
        new(zeros(2, 4), zeros(n, 4), 2, [0, 1], Enumerable.Range(0, n).Select(i => i % 4).ToArray(), "test digits");

    [Fact]
    public void Two_latent_dimensions_are_drawn_directly_coloured_by_gK_and_gNa()
    {
        TestTorch.Ensure();
        using var data = Traces(3);
        var maps = LatentMaps.Of(data, new FixedCodes(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }), "run");
        Assert.Equal(2, maps.Count);
        Assert.Equal([1.0, 3, 5], maps[0].X);
        Assert.Equal([2.0, 4, 6], maps[0].Y);
        Assert.Equal([30.0, 31, 32], maps[0].Value);
        Assert.Equal([110.0, 112, 114], maps[1].Value);
        Assert.False(maps[0].Categorical);
        Assert.Contains("gNa", maps[1].Title);
    }

    [Fact]
    public void More_dimensions_are_projected_on_principal_components_and_digits_are_categories()
    {
        TestTorch.Ensure();
        using var data = Digits(4);
        // All variance along the third axis: PC1 is that axis, PC2 carries nothing.
        var map = Assert.Single(LatentMaps.Of(data, new FixedCodes(new float[,] { { 0, 0, -3 }, { 0, 0, -1 }, { 0, 0, 1 }, { 0, 0, 3 } }), "run"));
        Assert.True(map.Categorical);
        Assert.Equal([0.0, 1, 2, 3], map.Value);
        Assert.Contains("PC1", map.XLabel);
        Assert.Contains("100 %", map.XLabel);
        Assert.Equal(6, Math.Abs(map.X[3] - map.X[0]), 5);
        Assert.All(map.Y, y => Assert.Equal(0, y, 5));
    }

    [Fact]
    public void One_dimension_is_drawn_against_the_colour_value()
    {
        TestTorch.Ensure();
        using var data = Traces(2);
        var maps = LatentMaps.Of(data, new FixedCodes(new float[,] { { -1 }, { 1 } }), "run");
        Assert.Equal([-1.0, 1], maps[0].X);
        Assert.Equal([30.0, 31], maps[0].Y);
    }
}
