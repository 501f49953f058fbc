using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Training;

using static TorchSharp.torch;
using Vae.Runs.Settings;

namespace Vae.Reports.Figures;

/// <summary>
/// The first test examples with their reconstructions through the posterior means, and samples from the
/// prior decoded to data means, as flat float arrays (one example after another): what the reconstruction and
/// sample figures draw. The samples come from the run's generation seed, so they are the same every time.
/// </summary>
public sealed record RunExamples(float[] Originals, float[] Reconstructions, float[] Samples, int Features)
{
    /// <summary>Reconstructed test examples.</summary>
    public int Count => Originals.Length / Features;

    /// <summary>Computes <paramref name="count"/> reconstructions (at most the test set) and <paramref name="samples"/> samples.</summary>
    public static RunExamples Of(TrainingData data, ITrainedModel model, long seed, int count, int samples)
    {
        using var scope = NewDisposeScope();
        var n = Math.Min(count, data.Test.Count);
        var originals = data.Test.Rows(0, n);
        using var gen = new Generator((ulong)Seeds.Derive(seed, Seeds.Purpose.Generate, 0));
        return new RunExamples(Floats(originals), Floats(model.Reconstruct(originals)), Floats(model.Generate(gen, samples)), data.Features);
    }

    /// <summary>The values of a tensor as float32, row-major.</summary>
    public static float[] Floats(Tensor t) => t.detach().to(ScalarType.Float32).contiguous().data<float>().ToArray();
}
