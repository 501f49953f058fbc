using Vae.Model;
using Vae.Runs.Analysis;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Settings;
using Vae.Runs.Tests.Data;
using Vae.Simulation.Traces;
using static TorchSharp.torch;

namespace Vae.Runs.Tests.Analysis;

/// <summary>The reconstruction error in mV, split by region, and the feature errors of reconstructions.</summary>
public sealed class ReconstructionRegionsTests
{
    // A model whose reconstruction is its input shifted by a constant (model units).
    private sealed class Shifted(float shift) : ITrainedModel
    {
        public int LatentDim => 2;
        public Tensor Reconstruct(Tensor batch) => batch + shift;
        public (Tensor Mu, Tensor LogVar) Encode(Tensor data) => throw new NotSupportedException();
        public Tensor PriorCodes(Generator gen, int count) => throw new NotSupportedException();
        public Tensor Decode(Tensor codes) => throw new NotSupportedException();
        public Losses.Metrics Evaluate(IEnumerable<Tensor> batches, double beta, Generator gen) => throw new NotSupportedException();
        public Tensor Generate(Generator gen, int count) => throw new NotSupportedException();
        public bool HasLikelihood => false;
        public double[] NegativeLogLikelihood(Tensor data, int samples, Generator gen) => throw new NotSupportedException();
        public Tensor Traverse(double[] baseCode, int[] dims, double[] probabilities) => throw new NotSupportedException();
    }

    private static HhTraces Load(ScalingMode scaling) =>
        HhTraces.Load(new TrainConfig { Scaling = scaling }, Path.Combine(TinyData.Dir, "d40.h5"), RecordedData.None, DataResidence.Stream);

    [Fact]
    public void A_perfect_reconstruction_has_no_error_and_the_same_spikes_and_features()
    {
        TestTorch.Ensure();
        using var data = Load(ScalingMode.Dataset);
        var (regions, features) = ReconstructionRegions.Of(data, new Shifted(0));
        Assert.Equal(data.Test.Count, regions.Traces);
        Assert.True(regions.Spikes > 0);
        Assert.Equal(regions.Spikes, regions.ReconstructedSpikes);
        // The only difference is float32 rounding of the scaled traces.
        Assert.All(new[] { regions.RmsMv, regions.SubthresholdRmsMv, regions.SpikeRmsMv }, e => Assert.InRange(e, 0, 1e-4));
        Assert.All(features, f => Assert.Equal((0, 0), (f.OriginalOnly, f.ReconstructionOnly)));
        Assert.Contains(features, f => f.Compared == regions.Traces);
    }

    [Fact]
    public void A_constant_shift_is_that_many_mV_in_every_region()
    {
        TestTorch.Ensure();
        using var data = Load(ScalingMode.Dataset);
        var map = data.Map!;
        var (regions, features) = ReconstructionRegions.Of(data, new Shifted(0.01f));
        var mv = 0.01f * map.Scale;
        Assert.All(new[] { regions.RmsMv, regions.SubthresholdRmsMv, regions.SpikeRmsMv }, e => Assert.Equal(mv, e, 1e-3));
        // The spike windows are the originals': the shifted traces' windows cover a share of their samples.
        Assert.InRange(regions.SpikeSampleFraction, 0.01, 0.9);
        // Voltage features move by the shift; the resting level is compared on every trace.
        var baseline = features.Single(f => f.Feature == "voltage_base");
        Assert.Equal(mv, baseline.MeanAbsoluteError, 1e-3);
    }

    [Fact]
    public void Per_trace_scaling_is_undone_with_each_original_traces_range()
    {
        TestTorch.Ensure();
        using var data = Load(ScalingMode.Trace);
        var (regions, _) = ReconstructionRegions.Of(data, new Shifted(0.01f));
        var file = data.File;
        // Each trace's error is 0.01 of its own range; the RMS over equal-length traces is the root mean square of those.
        var expected = Math.Sqrt(file.TestIndices.Average(i => Math.Pow(0.01 * (file.RawMax[i] - file.RawMin[i]), 2)));
        Assert.Equal(expected, regions.RmsMv, 1e-4);
    }
}
