using Vae.Runs.Models;
using Vae.Simulation.Features;
using static TorchSharp.torch;

namespace Vae.Runs.Inference;

/// <summary>
/// A representation fitted on training traces and applied alike to them and to new ones: traces in, one row of
/// <see cref="Width"/> numbers per trace out. Traces come as <see cref="FeatureTraces"/> (a dataset file's, or an
/// observation's), each stored scaled to [0, 1] with its range in mV.
/// </summary>
public abstract class RepresentationMap
{
    /// <summary>Numbers per trace.</summary>
    public abstract int Width { get; }

    /// <summary>The rows of every trace of <paramref name="traces"/>, [Count, Width] row-major.</summary>
    public abstract double[] Of(FeatureTraces traces);

    /// <summary>The rows as a float64 tensor [Count, Width].</summary>
    public Tensor Tensor(FeatureTraces traces) => tensor(Of(traces), [traces.Count, Width], ScalarType.Float64);
}

/// <summary>A hand-crafted feature set on the traces in mV, its missing values filled by a plan fitted on training traces.</summary>
public sealed class FeatureMap(FeatureSet set, ImputationPlan plan) : RepresentationMap
{
    /// <summary>The feature set.</summary>
    public FeatureSet Set { get; } = set;
    /// <summary>How missing values are filled (fitted on the training traces).</summary>
    public ImputationPlan Plan { get; } = plan;

    /// <inheritdoc/>
    public override int Width => Plan.Output.Length;

    /// <summary>The map whose missing-value plan is fitted on the rows of <paramref name="traces"/> it marks as training rows.</summary>
    public static FeatureMap Fit(FeatureTraces traces, FeatureSet set) =>
        new(set, FeatureImputation.Fit(TraceFeatures.Compute(traces, set, TraceUnits.Millivolts), traces.IsTrain));

    /// <inheritdoc/>
    public override double[] Of(FeatureTraces traces) => Plan.Apply(TraceFeatures.Compute(traces, Set, TraceUnits.Millivolts)).Values;
}

/// <summary>
/// The traces themselves in mV, [Count, Length]: the input of an estimator with an embedding network, which z-scores
/// them by one mean and standard deviation of its training traces.
/// </summary>
public sealed class TraceMap(int length) : RepresentationMap
{
    /// <inheritdoc/>
    public override int Width => length;

    /// <inheritdoc/>
    public override double[] Of(FeatureTraces traces)
    {
        if (traces.Length != length)
            throw new ArgumentException($"traces of {traces.Length} samples for a map of {length}", nameof(traces));
        const int block = 256;
        var values = new double[(long)traces.Count * length];
        var stored = new float[block * length];
        for (var first = 0; first < traces.Count; first += block)
        {
            var count = Math.Min(block, traces.Count - first);
            traces.ReadRows(first, count, stored.AsSpan(0, count * length));
            for (var k = 0; k < count; k++)
            {
                var (low, range) = (traces.RawMin[first + k], traces.RawMax[first + k] - traces.RawMin[first + k]);
                for (var t = 0; t < length; t++)
                    values[(long)(first + k) * length + t] = low + stored[k * length + t] * range;
            }
        }
        return values;
    }
}

/// <summary>
/// The posterior means of a run's encoder. The model sees each trace as the run scaled it: through the dataset-wide map
/// (<paramref name="map"/>) or, without one, scaled to [0, 1] by its own range, as the traces are stored.
/// </summary>
public sealed class LatentMap(ITrainedModel model, Data.TraceScaling? map) : RepresentationMap
{
    /// <inheritdoc/>
    public override int Width => model.LatentDim;

    /// <inheritdoc/>
    public override double[] Of(FeatureTraces traces)
    {
        var (n, length) = (traces.Count, traces.Length);
        var stored = new float[TrainedModel.BatchSize * length];
        var (mu, _) = BatchedInference.Encode(model, n, (first, count) =>
        {
            var block = stored.AsSpan(0, count * length);
            traces.ReadRows(first, count, block);
            if (map is not null)
                for (var k = 0; k < count; k++)
                    for (var t = 0; t < length; t++)
                    {
                        var mv = traces.RawMin[first + k] + block[k * length + t] * (traces.RawMax[first + k] - traces.RawMin[first + k]);
                        block[k * length + t] = (float)((mv - map.Offset) / map.Scale);
                    }
            return tensor(block.ToArray(), [count, length], ScalarType.Float32);
        });
        return [.. mu.Select(v => (double)v)];
    }
}
