/// Using a trained VAE: encoding datasets, reconstructing, and generating from the prior.
module Vae.Model.Inference

open TorchSharp
open Vae.Model.Interop

/// The decoder output turned into the data mean: sigmoid of logits for Bernoulli data, the mean half of a
/// Gaussian or Laplace decoder's output, as is otherwise (`Losses.mean`).
let mean (vae: Vae<'P>) (output: Tensor) : Tensor = Losses.mean vae.Likelihood output

/// (mu, logvar) of q(z|x) for every example of `data` [n; features], computed in batches: two [n; latent]
/// tensors owned by the caller.
let encodeDataset (vae: Vae<'P>) (p: 'P) (data: Tensor) (batchSize: int) : Tensor * Tensor =
    if batchSize < 1 then invalidArg "batchSize" $"batch size must be >= 1, got {batchSize}"
    use scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    let n = data.shape.[0]
    // Each batch's activations are freed with its own scope, so memory does not grow with the dataset.
    let parts =
        [| for start in 0L .. int64 batchSize .. n - 1L do
               use _ = torch.NewDisposeScope()
               let mu, logvar = vae.Encode p (data.narrow (0L, start, min (int64 batchSize) (n - start)))
               let kept = mu.MoveToOuterDisposeScope(), logvar.MoveToOuterDisposeScope()
               kept |]
    let mus = torch.cat (parts |> Array.map fst, 0L)
    let logvars = torch.cat (parts |> Array.map snd, 0L)
    mus.DetachFromDisposeScope(), logvars.DetachFromDisposeScope()

/// Data means of the reconstructions of `batch` through the posterior means (no sampling).
let reconstruct (vae: Vae<'P>) (p: 'P) (batch: Tensor) : Tensor =
    use scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    let mu, _ = vae.Encode p batch
    (mean vae (vae.Decode p mu)).DetachFromDisposeScope()

/// `count` latent draws from the prior N(0, I) [count; latent], in the parameters' dtype and device.
let priorCodes (vae: Vae<'P>) (p: 'P) (gen: torch.Generator) (count: int) : Tensor =
    let probe = Params.flatten p |> Array.head
    Latent.samplePrior gen (TensorSpec.Create(probe.dtype, probe.device)) count vae.LatentDim

/// Latent codes `z` [n; latent] decoded to data means [n; features].
let decode (vae: Vae<'P>) (p: 'P) (z: Tensor) : Tensor =
    use scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    (mean vae (vae.Decode p z)).DetachFromDisposeScope()

/// `count` new examples: latent draws from the prior N(0, I), decoded to data means [count; features].
let generate (vae: Vae<'P>) (p: 'P) (gen: torch.Generator) (count: int) : Tensor =
    use z = priorCodes vae p gen count
    decode vae p z
