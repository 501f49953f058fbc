/// The importance-weighted bound on the log-likelihood of a VAE with a proper likelihood (Bernoulli, Gaussian,
/// Laplace; Burda, Grosse & Salakhutdinov 2016): -log p(x) ~= -(logsumexp_k [log p(x|z_k) + log p(z_k) - log q(z_k|x)] - log K), z_k ~ q(z|x).
/// With K = 1 it is the single-sample negative ELBO; it decreases towards -log p(x) as K grows. Samples are
/// drawn in chunks and combined with a running log-sum-exp, so memory does not grow with K.
module Vae.Model.Analysis.Iwae

open TorchSharp
open Vae.Model
open Vae.Model.Interop

let private halfLog2Pi = 0.5 * log (2.0 * System.Math.PI)

/// log p(x|z) + log p(z) - log q(z|x) for `x` [b; features] with posterior (mu, logvar) [b; latent] and
/// the standard normal noise `eps` [s; b; latent] that gives z = mu + exp(logvar / 2) eps: [s; b]. log p(x|z) is
/// `Losses.logLikelihoodPerExample`, the loss's own term; a squared-error likelihood is refused with its reason.
let logWeights (vae: Vae<'P>) (p: 'P) (x: Tensor) (mu: Tensor) (logvar: Tensor) (eps: Tensor) : Tensor =
    if not (Losses.isProper vae.Likelihood) then
        invalidArg
            "vae"
            ("the importance-weighted likelihood needs a normalized likelihood (Bernoulli, Gaussian, Laplace); "
             + $"{vae.Likelihood} is a sum of squares with no variance, so its bound is not a likelihood")
    let s, b, d = eps.shape.[0], eps.shape.[1], eps.shape.[2]
    let z = Latent.reparameterizeWith eps (mu.unsqueeze 0L) (logvar.unsqueeze 0L)
    let output = vae.Decode p (z.reshape ([| s * b; d |]))
    let xs = x.unsqueeze(0L).expand([| s; b; x.shape.[1] |]).reshape([| s * b; x.shape.[1] |])
    let logPx = (Losses.logLikelihoodPerExample vae.Likelihood output xs).reshape([| s; b |])
    let logPz = (z.square () * -0.5 - halfLog2Pi).sum(2L)
    let logQz = (eps.square () * -0.5 - halfLog2Pi - logvar.unsqueeze (0L) * 0.5).sum(2L)
    logPx + logPz - logQz

/// How the estimate is batched: examples per batch and samples per chunk (memory ~ examples x samples x
/// features values per chunk).
type Batching = { Examples: int; Samples: int }

/// Batching that keeps a chunk at about 16,384 decoded examples.
let defaultBatching (samples: int) = { Examples = 16; Samples = max 1 (min samples 1024) }

/// `defaultBatching` for examples of up to 784 features (MNIST: unchanged); for longer examples a chunk holds
/// at most 256 decoded ones (16 examples x 16 samples for traces; a decoded 5,000-sample trace with its
/// activations is about 2 MB in the trace Conv-VAE), so memory stays near 0.5 GB.
let batchingFor (features: int64) (samples: int) =
    if features <= 784L then defaultBatching samples else { Examples = 16; Samples = max 1 (min samples 16) }

/// The importance-weighted negative log-likelihood (nats) of each example of `data` [n; features] with
/// `samples` draws per example from the generator, in the order batch by batch, chunk by chunk.
let negativeLogLikelihood (vae: Vae<'P>) (p: 'P) (gen: torch.Generator) (samples: int) (batching: Batching) (data: Tensor) : float[] =
    if samples < 1 then invalidArg "samples" $"need at least one sample, got {samples}"
    if batching.Examples < 1 || batching.Samples < 1 then invalidArg "batching" "batch and chunk sizes must be >= 1"
    use _ = torch.no_grad ()
    let n = data.shape.[0]
    [| for start in 0L .. int64 batching.Examples .. n - 1L do
           use _scope = torch.NewDisposeScope()
           let x = data.narrow (0L, start, min (int64 batching.Examples) (n - start))
           let mu, logvar = vae.Encode p x
           use minusInfinity = scalar System.Double.NegativeInfinity
           let mutable total = torch.full ([| x.shape.[0] |], minusInfinity, dtype = torch.float64)
           let mutable drawn = 0
           while drawn < samples do
               // Each chunk's decoded examples are freed with its own scope: memory does not grow with K.
               use _chunk = torch.NewDisposeScope()
               let s = min batching.Samples (samples - drawn)
               let eps = torch.randn ([| int64 s; mu.shape.[0]; mu.shape.[1] |], dtype = mu.dtype, generator = gen)
               let lse = (logWeights vae p x mu logvar eps).to_type(torch.float64).logsumexp(0L)
               total <- torch.logaddexp(total, lse).MoveToOuterDisposeScope()
               drawn <- drawn + s
           yield! toArray (-(total - log (float samples))) |]
