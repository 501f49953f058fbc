using static TorchSharp.torch;

namespace Vae.Runs.Models;

/// <summary>
/// Encoding and generating for the commands that write every example (encode, generate): batches of a fixed size,
/// each freed with its own dispose scope, copied into one float32 array per output. Memory is one copy of the
/// output and one batch's activations, whatever the number of examples.
/// </summary>
public static class BatchedInference
{
    /// <summary>
    /// Posterior means and log-variances [count, latent] (row-major) of the examples that
    /// <paramref name="rows"/>(first, n) returns as model input [n, features].
    /// </summary>
    public static (float[] Mu, float[] LogVar) Encode(
        ITrainedModel model, int count, Func<int, int, Tensor> rows, int batchSize = TrainedModel.BatchSize)
    {
        var z = model.LatentDim;
        var (mu, logvar) = (new float[(long)count * z], new float[(long)count * z]);
        for (var first = 0; first < count; first += batchSize)
        {
            var n = Math.Min(batchSize, count - first);
            using var scope = NewDisposeScope();
            var (m, l) = model.Encode(rows(first, n));
            CopyInto(m, mu.AsSpan(first * z, n * z));
            CopyInto(l, logvar.AsSpan(first * z, n * z));
        }
        return (mu, logvar);
    }

    /// <summary>
    /// <paramref name="count"/> samples from the prior, decoded to data means [count, <paramref name="features"/>]
    /// (row-major): the same draws as <see cref="ITrainedModel.Generate"/>, decoded a batch at a time.
    /// </summary>
    public static float[] Generate(ITrainedModel model, Generator gen, int count, int features, int batchSize = TrainedModel.BatchSize)
    {
        var values = new float[(long)count * features];
        using var codes = model.PriorCodes(gen, count);
        for (var first = 0; first < count; first += batchSize)
        {
            var n = Math.Min(batchSize, count - first);
            using var scope = NewDisposeScope();
            CopyInto(model.Decode(codes.narrow(0, first, n)), values.AsSpan(first * features, n * features));
        }
        return values;
    }

    private static void CopyInto(Tensor t, Span<float> into)
    {
        using var f = t.to(ScalarType.Float32).contiguous();
        if (f.numel() != into.Length)
            throw new InvalidOperationException($"a batch gave {f.numel()} values where {into.Length} were expected");
        f.data<float>().CopyTo(into);
    }
}
