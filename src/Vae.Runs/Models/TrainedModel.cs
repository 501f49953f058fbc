using Vae.Runs.Data;
using Vae.Runs.Persistence;
using Vae.Model;
using static TorchSharp.torch;
using Vae.Runs.Settings;

namespace Vae.Runs.Models;

/// <summary>A model with its trained parameters, whatever their type: what the commands that read a run use.</summary>
public interface ITrainedModel
{
    /// <summary>Latent dimensions.</summary>
    int LatentDim { get; }
    /// <summary>
    /// Test metrics of the examples of <paramref name="batches"/>, given one at a time (each disposed after use, so that
    /// a dataset is evaluated without being held whole), with one posterior draw per example from <paramref name="gen"/>.
    /// </summary>
    Losses.Metrics Evaluate(IEnumerable<Tensor> batches, double beta, Generator gen);
    /// <summary>Reconstructions through the posterior means, as data means.</summary>
    Tensor Reconstruct(Tensor batch);
    /// <summary><paramref name="count"/> samples from the prior, decoded to data means.</summary>
    Tensor Generate(Generator gen, int count);
    /// <summary>Posterior means and log-variances of every example, in batches.</summary>
    (Tensor Mu, Tensor LogVar) Encode(Tensor data);
    /// <summary><paramref name="count"/> latent draws from the prior [count, latent], as <see cref="Generate"/> makes them.</summary>
    Tensor PriorCodes(Generator gen, int count);
    /// <summary>Latent codes [n, latent] decoded to data means [n, features].</summary>
    Tensor Decode(Tensor codes);
    /// <summary>Whether the decoder defines a likelihood (Bernoulli, Gaussian, Laplace), so that the importance-weighted bound applies.</summary>
    bool HasLikelihood { get; }
    /// <summary>
    /// Importance-weighted negative log-likelihood of each example with <paramref name="samples"/> draws from <paramref name="gen"/>.
    /// </summary>
    double[] NegativeLogLikelihood(Tensor data, int samples, Generator gen);
    /// <summary>
    /// Data means decoded from <paramref name="baseCode"/> with each of <paramref name="dims"/> set to each prior quantile in turn.
    /// </summary>
    Tensor Traverse(double[] baseCode, int[] dims, double[] probabilities);
}

/// <summary>
/// The run's evaluation on held-out data: the whole test set, one posterior draw per example from the fixed evaluation
/// seed, read a batch of <see cref="TrainedModel.BatchSize"/> at a time: the same batches, draws and sums as the
/// evaluation of the whole split as one tensor, without holding it.
/// </summary>
public static class HeldOutEvaluation
{
    /// <summary>Test metrics of <paramref name="model"/> as training reports them after each epoch.</summary>
    public static Losses.Metrics Of(ITrainedModel model, TrainConfig cfg, ModelInputRows test)
    {
        using var gen = new Generator((ulong)Seeds.Derive(cfg.Seed, Seeds.Purpose.EvalNoise, 0));
        return model.Evaluate(test.Batches(TrainedModel.BatchSize), cfg.Beta, gen);
    }
}

/// <summary>
/// The <see cref="ITrainedModel"/> of the model layer's <see cref="TrainedVae"/>: the application's batch size for
/// datasets; the model holds the parameters and does the work.
/// </summary>
public sealed class TrainedModel(TrainedVae vae) : ITrainedModel
{
    /// <summary>Examples per batch of encoding and evaluating a dataset.</summary>
    public const int BatchSize = 64;

    /// <inheritdoc/>
    public int LatentDim => vae.LatentDim;
    /// <inheritdoc/>
    /// <inheritdoc/>
    public Losses.Metrics Evaluate(IEnumerable<Tensor> batches, double beta, Generator gen) => vae.EvaluateBatches(batches, beta, gen);
    /// <inheritdoc/>
    public Tensor Reconstruct(Tensor batch) => vae.Reconstruct(batch);
    /// <inheritdoc/>
    public Tensor Generate(Generator gen, int count) => vae.Generate(gen, count);
    /// <inheritdoc/>
    public Tensor PriorCodes(Generator gen, int count) => vae.PriorCodes(gen, count);
    /// <inheritdoc/>
    public Tensor Decode(Tensor codes) => vae.Decode(codes);
    /// <inheritdoc/>
    public bool HasLikelihood => Losses.isProper(vae.Likelihood);
    /// <inheritdoc/>
    public double[] NegativeLogLikelihood(Tensor data, int samples, Generator gen) => vae.NegativeLogLikelihood(data, samples, gen);
    /// <inheritdoc/>
    public Tensor Traverse(double[] baseCode, int[] dims, double[] probabilities) => vae.Traverse(baseCode, dims, probabilities);
    /// <inheritdoc/>
    public (Tensor Mu, Tensor LogVar) Encode(Tensor data) => vae.Encode(data, BatchSize);
}

/// <summary>Loads a run's trained parameters (the final model, else the last checkpoint) into its model.</summary>
public static class TrainedModelLoader
{
    /// <summary>
    /// The trained <paramref name="model"/> of the run in <paramref name="folder"/>; a file it cannot read fails with a message
    /// saying what to do.
    /// </summary>
    public static ITrainedModel Load(RunFolder folder, VaeModel model)
    {
        var path = File.Exists(folder.FinalModel) ? folder.FinalModel
            : File.Exists(folder.LastCheckpoint) ? folder.LastCheckpoint
            : throw new UserInputException($"run {folder.Root} has no trained model yet (no model.safetensors or checkpoint)",
                new Remedy.TrainFirst(folder.Root));
        TrainedVae trained;
        try
        {
            trained = model.Load(path, CPU);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{e.Message.Split('\n')[0]}; the run's model cannot be read: restore the file or train the run again.");
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw new InvalidDataException($"{path} does not fit the model built for this data ({e.Message.Split('\n')[0]}); "
                + "is the data of the shape the run was trained on?");
        }
        if (trained.Parameters.Any(t => !t.isfinite().all().item<bool>()))
            throw new InvalidDataException($"{path} holds weights that are not finite (NaN or infinity), so nothing it computes is meaningful; "
                + "restore the file or train the run again.");
        return new TrainedModel(trained);
    }
}
