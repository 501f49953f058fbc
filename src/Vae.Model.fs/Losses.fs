/// Per-example loss terms of the negative ELBO and their batch summary.
module Vae.Model.Losses

open TorchSharp
open Vae.Model.Interop

type private F = torch.nn.functional

/// The observation model of the decoder output.
type Likelihood =
    /// Binary data; the decoder returns logits; reconstruction = Bernoulli NLL summed over the features (nats).
    | Bernoulli
    /// Real data; the decoder returns means; reconstruction = sum of squared errors over the features.
    | SquaredError

/// KL(N(mu, exp logvar) || N(0, I)) per example and latent dimension: [batch; latent].
let klPerDimension (mu: Tensor) (logvar: Tensor) : Tensor =
    // -1/2 (1 + logvar - mu^2 - exp logvar), each term >= 0.
    ((mu * mu) + logvar.exp () - logvar - 1.0) * 0.5

/// Closed-form KL to the standard normal, summed over latent dimensions: [batch].
let klPerExample (mu: Tensor) (logvar: Tensor) : Tensor = (klPerDimension mu logvar).sum(1L)

/// Bernoulli negative log-likelihood of binary `x` under `sigmoid logits`, summed over features: [batch].
/// Stable for large |logits| (libtorch evaluates max(l, 0) - l x + log(1 + exp(-|l|))).
let bernoulliNllPerExample (logits: Tensor) (x: Tensor) : Tensor =
    F.binary_cross_entropy_with_logits(logits, x, reduction = torch.nn.Reduction.None).flatten(1L).sum(1L)

/// Sum of squared errors over the features of each example: [batch]. (The original logged this as "MSE".)
let sumSquaredErrorPerExample (mean: Tensor) (x: Tensor) : Tensor =
    let d = (mean - x).flatten(1L)
    (d * d).sum(1L)

/// Mean squared error per sample (feature) of each example: SSE / features: [batch].
let meanSquaredErrorPerSamplePerExample (mean: Tensor) (x: Tensor) : Tensor =
    let d = (mean - x).flatten(1L)
    (d * d).mean([| 1L |])

/// Reconstruction term per example for a likelihood: [batch].
let reconstructionPerExample (likelihood: Likelihood) (output: Tensor) (x: Tensor) : Tensor =
    match likelihood with
    | Bernoulli -> bernoulliNllPerExample output x
    | SquaredError -> sumSquaredErrorPerExample output x

/// The batch loss terms as tensors (`Loss` is differentiable; the rest are for reporting).
type Terms =
    {
        /// Mean over the batch of reconstruction + beta * KL.
        Loss: Tensor
        /// Mean reconstruction term.
        Reconstruction: Tensor
        /// Mean KL term.
        Kl: Tensor
        /// Mean KL per latent dimension ([latent]); near zero marks an inactive dimension.
        KlPerDimension: Tensor
    }

/// Negative ELBO: per example reconstruction + beta * KL, averaged over the batch.
let negativeElbo (likelihood: Likelihood) (beta: float) (output: Tensor) (x: Tensor) (mu: Tensor) (logvar: Tensor) =
    let recon = (reconstructionPerExample likelihood output x).mean()
    let klDim = (klPerDimension mu logvar).mean([| 0L |])
    let kl = klDim.sum ()
    { Loss = recon + kl * beta; Reconstruction = recon; Kl = kl; KlPerDimension = klDim }

/// Batch metrics as plain numbers.
type Metrics =
    {
        /// Mean negative ELBO (reconstruction + beta * KL).
        Loss: float
        /// Mean reconstruction term (nats for Bernoulli, sum of squared errors for SquaredError).
        Reconstruction: float
        /// Mean KL to the prior.
        Kl: float
        /// Mean KL per latent dimension.
        KlPerDimension: float[]
    }

/// Reads the terms out as numbers.
let metrics (t: Terms) : Metrics =
    { Loss = toScalar t.Loss; Reconstruction = toScalar t.Reconstruction; Kl = toScalar t.Kl; KlPerDimension = toArray t.KlPerDimension }
