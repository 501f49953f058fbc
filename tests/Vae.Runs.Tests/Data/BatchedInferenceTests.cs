using Vae.Runs.Models;
using Vae.Model;
using static TorchSharp.torch;

namespace Vae.Runs.Tests.Data;

/// <summary>encode and generate go through the model a fixed-size batch at a time, so memory does not grow with the count.</summary>
public sealed class BatchedInferenceTests
{
    // A model whose codes are the first two input features and whose decoding repeats the code; it records batch sizes.
    private sealed class Recording : ITrainedModel
    {
        public List<long> Batches { get; } = [];
        public int LatentDim => 2;
        public (Tensor Mu, Tensor LogVar) Encode(Tensor data)
        {
            Batches.Add(data.shape[0]);
            return (data.narrow(1, 0, 2).clone(), zeros(data.shape[0], 2));
        }
        public Tensor PriorCodes(Generator gen, int count) => arange(2 * count, dtype: ScalarType.Float32).reshape(count, 2);
        public Tensor Decode(Tensor codes)
        {
            Batches.Add(codes.shape[0]);
            return cat([codes, codes], 1);
        }
        public Losses.Metrics Evaluate(IEnumerable<Tensor> batches, double beta, Generator gen) => throw new NotSupportedException();
        public Tensor Reconstruct(Tensor batch) => throw new NotSupportedException();
        public Tensor Generate(Generator gen, int count) => throw new NotSupportedException();
        public bool HasLikelihood => false;
        public double[] NegativeLogLikelihood(Tensor data, int samples, Generator gen) => throw new NotSupportedException();
        public Tensor Traverse(double[] baseCode, int[] dims, double[] probabilities) => throw new NotSupportedException();
    }

    [Fact]
    public void Encode_goes_a_batch_at_a_time_and_keeps_the_order()
    {
        TestTorch.Ensure();
        var model = new Recording();
        const int n = 2 * TrainedModel.BatchSize + 24;
        var (mu, logvar) = BatchedInference.Encode(model, n,
            (first, count) => arange(first * 3, (first + count) * 3, dtype: ScalarType.Float32).reshape(count, 3));
        Assert.Equal([TrainedModel.BatchSize, TrainedModel.BatchSize, 24L], model.Batches);
        Assert.Equal(Enumerable.Range(0, n).SelectMany(i => new float[] { 3 * i, 3 * i + 1 }), mu);
        Assert.Equal(2 * n, logvar.Length);
    }

    [Fact]
    public void Generate_decodes_a_batch_at_a_time_into_one_array()
    {
        TestTorch.Ensure();
        var model = new Recording();
        using var gen = new Generator(0);
        const int n = TrainedModel.BatchSize + 44;
        var values = BatchedInference.Generate(model, gen, n, 4);
        Assert.Equal([TrainedModel.BatchSize, 44L], model.Batches);
        Assert.Equal(new float[] { 2 * n - 2, 2 * n - 1, 2 * n - 2, 2 * n - 1 }, values[^4..]);
    }
}
