/// Per-example loss terms of the negative ELBO and their batch summary.
module Vae.Model.Losses

open TorchSharp
open Vae.Model.Interop

type private F = torch.nn.functional

/// How the noise scale of a Gaussian or Laplace likelihood is made.
type NoiseScale =
    /// One learned log-scale for the whole model: a scalar parameter, broadcast over examples and samples.
    | PerModel
    /// A log-scale per example and sample from the decoder (heteroscedastic), softly kept above log `floor`:
    /// log scale = logaddexp(raw, log floor), so scale = raw scale + floor >= floor, with gradients everywhere.
    | PerSample of floor: float

/// The observation model of the decoder output. With a noise scale (Gaussian, Laplace) the decoder returns
/// [batch; 2 x features] = concat(mean, raw log-scale); otherwise [batch; features].
type Likelihood =
    /// Binary data; the decoder returns logits; reconstruction = Bernoulli NLL summed over the features (nats).
    | Bernoulli
    /// Real data; the decoder returns means; reconstruction = sum of squared errors over the features.
    | SquaredError
    /// Real data; the decoder returns means; reconstruction = SSE + weight x SSE of the first differences of
    /// consecutive features (the time derivative of a trace times the sampling step, up to the weight).
    | SquaredErrorDerivative of weight: float
    /// Real data; Gaussian NLL summed over the features (nats): 0.5 log 2 pi + log sigma + (x - mu)^2 / (2 sigma^2).
    | Gaussian of scale: NoiseScale
    /// Real data; Laplace NLL summed over the features (nats): log 2b + |x - mu| / b.
    | Laplace of scale: NoiseScale

/// The likelihood's noise scale, if it has one (Gaussian and Laplace).
let noiseScale (likelihood: Likelihood) : NoiseScale option =
    match likelihood with
    | Gaussian s
    | Laplace s -> Some s
    | Bernoulli
    | SquaredError
    | SquaredErrorDerivative _ -> None

/// Whether the likelihood is a normalized density (nats), so that an importance-weighted bound is a likelihood.
let isProper (likelihood: Likelihood) : bool =
    match likelihood with
    | Bernoulli
    | Gaussian _
    | Laplace _ -> true
    | SquaredError
    | SquaredErrorDerivative _ -> false

/// Values the decoder returns per example for `features` data features: twice as many with a noise scale.
let decoderWidth (likelihood: Likelihood) (features: int) : int = if (noiseScale likelihood).IsSome then 2 * features else features

/// Columns the decoder's last layer computes per feature: 2 with a per-sample scale, else 1 (a per-model scale
/// is a parameter the decoder appends, `withModelScale`).
let outputChannels (likelihood: Likelihood) : int =
    match noiseScale likelihood with
    | Some(PerSample _) -> 2
    | _ -> 1

/// Whether the model carries one learned log-scale parameter (a per-model noise scale).
let hasModelScale (likelihood: Likelihood) : bool = noiseScale likelihood = Some PerModel

/// The initial per-model log-scale parameters: one zero (scale 1, in the model's units) when the likelihood has a
/// per-model scale, none otherwise (so checkpoints of the other likelihoods are unchanged).
let initModelScale (likelihood: Likelihood) (spec: TensorSpec) : Tensor[] = if hasModelScale likelihood then [| zeros spec [| 1L |] |] else [||]

/// The decoder's means [batch; features] followed by the per-model log-scale broadcast over them, when `logScale`
/// holds one: the layout of `Likelihood`.
let withModelScale (logScale: Tensor[]) (means: Tensor) : Tensor =
    match logScale with
    | [||] -> means
    | ls -> TorchSharp.torch.cat ([| means; ls.[0].expand(means.shape) |], 1L)

/// The decoder output split into (mean or logits, log-scale): the log-scale (floored for a per-sample scale) is
/// `None` for the likelihoods without one.
let split (likelihood: Likelihood) (output: Tensor) : Tensor * Tensor option =
    match noiseScale likelihood with
    | None -> output, None
    | Some scale ->
        let parts = output.chunk (2L, -1L)
        match scale with
        | PerModel -> parts.[0], Some parts.[1]
        // log(exp raw + floor) = log floor + softplus(raw - log floor), stable for any raw.
        | PerSample floor -> parts.[0], Some(softplus (parts.[1] - log floor) + log floor)

/// The data mean of the decoder output: sigmoid of the logits for Bernoulli data, the mean half with a noise scale.
let mean (likelihood: Likelihood) (output: Tensor) : Tensor =
    match likelihood with
    | Bernoulli -> torch.sigmoid output
    // Contiguous, so callers can copy its values out directly.
    | _ -> (fst (split likelihood output)).contiguous()

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

/// Sum of squared errors of the first differences (x[i+1] - x[i]) of consecutive features: [batch].
let derivativeSquaredErrorPerExample (mean: Tensor) (x: Tensor) : Tensor =
    let d = (mean - x).flatten(1L)
    let n = d.shape.[1]
    let dd = d.narrow (1L, 1L, n - 1L) - d.narrow (1L, 0L, n - 1L)
    (dd * dd).sum(1L)

/// Mean squared error per sample (feature) of each example: SSE / features: [batch].
let meanSquaredErrorPerSamplePerExample (mean: Tensor) (x: Tensor) : Tensor =
    let d = (mean - x).flatten(1L)
    (d * d).mean([| 1L |])

let private halfLog2Pi = 0.5 * log (2.0 * System.Math.PI)

/// Gaussian negative log-likelihood (nats) of `x` with mean `mean` and log standard deviation `logSigma`,
/// summed over features: [batch].
let gaussianNllPerExample (mean: Tensor) (logSigma: Tensor) (x: Tensor) : Tensor =
    let z = (x - mean) * (-logSigma).exp()
    (logSigma + z * z * 0.5 + halfLog2Pi).flatten(1L).sum(1L)

/// Laplace negative log-likelihood (nats) of `x` with location `mean` and log scale `logB`, summed over
/// features: [batch].
let laplaceNllPerExample (mean: Tensor) (logB: Tensor) (x: Tensor) : Tensor = (logB + (x - mean).abs() * (-logB).exp() + log 2.0).flatten(1L).sum(1L)

/// Reconstruction term per example for a likelihood: [batch]. For the proper likelihoods (`isProper`) it is
/// -log p(x | decoder output) in nats; for the squared-error ones a sum of squares.
let reconstructionPerExample (likelihood: Likelihood) (output: Tensor) (x: Tensor) : Tensor =
    match likelihood, split likelihood output with
    | Bernoulli, _ -> bernoulliNllPerExample output x
    | SquaredError, _ -> sumSquaredErrorPerExample output x
    | SquaredErrorDerivative w, _ -> sumSquaredErrorPerExample output x + derivativeSquaredErrorPerExample output x * w
    | Gaussian _, (m, Some ls) -> gaussianNllPerExample m ls x
    | Laplace _, (m, Some ls) -> laplaceNllPerExample m ls x
    | _, (_, None) -> invalidOp "a likelihood with a noise scale always splits off a log-scale"

/// log p(x | decoder output) per example (nats): [batch]. The one definition the loss and the importance-weighted
/// bound share; refused for the squared-error likelihoods, which are not normalized densities.
let logLikelihoodPerExample (likelihood: Likelihood) (output: Tensor) (x: Tensor) : Tensor =
    if not (isProper likelihood) then
        invalidArg
            "likelihood"
            $"{likelihood} is a sum of squares with no variance, not a normalized density: its importance-weighted bound is not a likelihood"
    -(reconstructionPerExample likelihood output x)

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
        /// Mean reconstruction term: -log p(x|z) in nats for the proper likelihoods (Bernoulli, Gaussian, Laplace), a
        /// sum of squares for SquaredError and SquaredErrorDerivative.
        Reconstruction: float
        /// Mean KL to the prior.
        Kl: float
        /// Mean KL per latent dimension.
        KlPerDimension: float[]
    }

/// Reads the terms out as numbers.
let metrics (t: Terms) : Metrics =
    { Loss = toScalar t.Loss; Reconstruction = toScalar t.Reconstruction; Kl = toScalar t.Kl; KlPerDimension = toArray t.KlPerDimension }
