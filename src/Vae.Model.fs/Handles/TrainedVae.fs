/// A VAE packed with its parameters into one value whose type does not name the parameter record: what a
/// C# program or a script holds to use a trained model (pythae's `model.predict`, `get_nll` on one object).
/// The pure functions over `Vae<'P>` stay the model layer's core; this only closes over them.
namespace Vae.Model

open TorchSharp
open Vae.Model.Interop

/// A VAE with its parameters, whatever its architecture: encoding, decoding, generating, evaluating, the
/// importance-weighted likelihood, latent traversals, FLOPs and the trained-model file. No method changes the
/// parameters; every tensor returned is new and owned by the caller.
[<AbstractClass>]
type TrainedVae internal () =
    /// Latent dimensions.
    abstract LatentDim: int
    /// The decoder's likelihood (`Losses.Likelihood`: Bernoulli logits for binary data; squared error, Gaussian or
    /// Laplace for real data).
    abstract Likelihood: Losses.Likelihood
    /// The parameter tensors in their fixed order (shared, not copies): to inspect, e.g. whether all are finite.
    abstract Parameters: Tensor[]
    /// (mu, logvar) of q(z|x) [n; latent] of every example of `data` [n; features], in batches of `batchSize`.
    abstract Encode: data: Tensor * batchSize: int -> struct (Tensor * Tensor)
    /// Latent codes [n; latent] decoded to data means [n; features].
    abstract Decode: codes: Tensor -> Tensor
    /// Data means of the reconstructions of `batch` through the posterior means (no sampling): the forward pass.
    abstract Reconstruct: batch: Tensor -> Tensor
    /// `count` latent draws [count; latent] from the prior N(0, I) with `gen`, as `Generate` makes them.
    abstract PriorCodes: gen: torch.Generator * count: int -> Tensor
    /// `count` new examples: prior draws from `gen` decoded to data means [count; features].
    abstract Generate: gen: torch.Generator * count: int -> Tensor
    /// Negative-ELBO metrics of `data` [n; features] with KL weight `beta`, one posterior draw per example from
    /// `gen`, in batches of `batchSize` weighted by their sizes.
    abstract Evaluate: data: Tensor * beta: float * gen: torch.Generator * batchSize: int -> Losses.Metrics
    /// `Evaluate` over batches given one at a time (each disposed after use): the same draws and sums as `Evaluate`
    /// of the batches' concatenation in batches of their sizes, without holding the dataset.
    abstract EvaluateBatches: batches: seq<Tensor> * beta: float * gen: torch.Generator -> Losses.Metrics
    /// Importance-weighted negative log-likelihood (nats, in the model's units of the data) of each example with
    /// `samples` draws from `gen`; refused for a squared-error likelihood (`Losses.isProper`).
    abstract NegativeLogLikelihood: data: Tensor * samples: int * gen: torch.Generator -> float[]
    /// Data means decoded from `baseCode` with each of `dims` set to each prior quantile of `probabilities` in turn.
    abstract Traverse: baseCode: float[] * dims: int[] * probabilities: float[] -> Tensor
    /// FLOPs of one training step (forward and backward) on a batch of `batch`, counted from the layer shapes.
    abstract TrainingFlops: batch: int -> int64
    /// Writes the parameters as a trained-model file at `path` with `step` updates applied (atomically).
    abstract Save: path: string * step: int64 -> unit

/// The `TrainedVae` of a VAE over parameters 'P; it shares the tensors of `p`.
type internal PackedVae<'P>(vae: Vae<'P>, p: 'P, flops: 'P -> int -> int64) =
    inherit TrainedVae()
    override _.LatentDim = vae.LatentDim
    override _.Likelihood = vae.Likelihood
    override _.Parameters = Params.flatten p
    override _.Encode(data, batchSize) =
        let mu, logvar = Inference.encodeDataset vae p data batchSize
        struct (mu, logvar)
    override _.Decode codes = Inference.decode vae p codes
    override _.Reconstruct batch = Inference.reconstruct vae p batch
    override _.PriorCodes(gen, count) = Inference.priorCodes vae p gen count
    override _.Generate(gen, count) = Inference.generate vae p gen count
    override _.Evaluate(data, beta, gen, batchSize) = Training.evaluateDataset vae beta gen p data batchSize
    override _.EvaluateBatches(batches, beta, gen) = Training.evaluateBatches vae beta gen p batches
    override _.NegativeLogLikelihood(data, samples, gen) =
        Analysis.Iwae.negativeLogLikelihood vae p gen samples (Analysis.Iwae.batchingFor data.shape.[1] samples) data
    override _.Traverse(baseCode, dims, probabilities) =
        // Codes are made in the parameters' dtype and on their device, as `PriorCodes` makes them.
        let probe = (Params.flatten p).[0]
        Analysis.Traversal.decode vae p (TensorSpec.Create(probe.dtype, probe.device)) baseCode dims probabilities
    override _.TrainingFlops batch = flops p batch
    override _.Save(path, step) = Checkpoint.saveModel path p step
