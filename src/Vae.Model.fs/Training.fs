/// The negative-ELBO objective of a VAE and the pure training step.
module Vae.Model.Training

open TorchSharp
open Vae.Model.Interop
open Vae.Model.Optim

/// Everything a training step needs besides its inputs: the model, the optimizer and the KL weight.
type Trainer<'P> =
    {
        Vae: Vae<'P>
        Optimizer: GradientTransformation
        /// Weight of the KL term (1 for the plain VAE).
        Beta: float
    }

/// The study's optimizer: NAdamW with defaults and the cosine schedule over `totalSteps` updates.
let studyOptimizer (totalSteps: int64) : GradientTransformation = Nadamw.transform Nadamw.Config.Defaults (Schedule.study totalSteps)

/// The study's trainer: `studyOptimizer totalSteps` with KL weight `beta`.
let studyTrainer (vae: Vae<'P>) (beta: float) (totalSteps: int64) : Trainer<'P> = { Vae = vae; Optimizer = studyOptimizer totalSteps; Beta = beta }

// The step number names the update the state's count is at: a check that the caller's loop and the state agree.
let private checkStep (state: OptState) (step: int64) =
    if state.Count <> step then invalidArg "step" $"step {step} given, but the optimizer state has applied {state.Count} updates"

/// Negative-ELBO terms of a batch with one reparameterized draw per example from `gen`.
let lossTerms (vae: Vae<'P>) (beta: float) (gen: torch.Generator) (p: 'P) (batch: Tensor) : Losses.Terms =
    let mu, logvar = vae.Encode p batch
    let z = Latent.reparameterize gen mu logvar
    Losses.negativeElbo vae.Likelihood beta (vae.Decode p z) batch mu logvar

/// The training step for long loops: the same update as `step`, written into the tensors of `p` and `state`
/// (their buffers are donated, as in JAX's buffer donation: the caller must not use the old values). No
/// long-lived tensor is reallocated and the optimizer works in place on the step's own gradients, so far
/// fewer tensors are allocated per step. Bit-for-bit equal to `step`. `step` (0-based) must be the state's
/// count, which the update advances.
let stepInPlace (trainer: Trainer<'P>) (p: 'P) (state: OptState) (batch: Tensor) (gen: torch.Generator) (step: int64) =
    checkStep state step
    use scope = torch.NewDisposeScope()
    let _, terms, grads = Grad.valueAndGradAux (fun q -> let t = lossTerms trainer.Vae trainer.Beta gen q batch in t.Loss, t) p
    Optim.applyInPlace trainer.Optimizer grads state p
    Params.dispose grads
    Losses.metrics terms

/// One training step: gradients of the batch loss, one optimizer update at `step` (0-based, the state's count).
/// Pure: `p` and `state` are left intact; the new parameters and state are fresh tensors, detached from any
/// dispose scope, that the caller owns (dispose the old ones when no longer needed). Computed as
/// `stepInPlace` on copies, so it allocates only the copies beyond what the in-place step does.
let step (trainer: Trainer<'P>) (p: 'P) (state: OptState) (batch: Tensor) (gen: torch.Generator) (step: int64) =
    checkStep state step
    use scope = torch.NewDisposeScope()
    let p' = Params.copy p
    let state' = copyState state
    let metrics = stepInPlace trainer p' state' batch gen step
    Params.map (fun t -> t.DetachFromDisposeScope()) p', mapState (fun t -> t.DetachFromDisposeScope()) state', metrics

/// Metrics of a batch without gradients, with one reparameterized draw per example from `gen`.
let evaluate (vae: Vae<'P>) (beta: float) (gen: torch.Generator) (p: 'P) (batch: Tensor) : Losses.Metrics =
    use scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    Losses.metrics (lossTerms vae beta gen p batch)

/// Metrics over batches given one at a time (each disposed after use), each weighted by its size: a dataset
/// larger than memory is evaluated as `evaluateDataset` evaluates one held in memory, with the same draws and sums.
let evaluateBatches (vae: Vae<'P>) (beta: float) (gen: torch.Generator) (p: 'P) (batches: seq<Tensor>) =
    let parts =
        [ for b in batches do
              use batch = b
              float batch.shape.[0], evaluate vae beta gen p batch ]
    let n = parts |> List.sumBy fst
    if n = 0.0 then invalidArg "batches" "the dataset is empty"
    let weighted f = (parts |> List.sumBy (fun (w, m) -> w * f m)) / n
    { Losses.Metrics.Loss = weighted (fun m -> m.Loss)
      Losses.Metrics.Reconstruction = weighted (fun m -> m.Reconstruction)
      Losses.Metrics.Kl = weighted (fun m -> m.Kl)
      Losses.Metrics.KlPerDimension = Array.init vae.LatentDim (fun j -> weighted (fun m -> m.KlPerDimension.[j])) }

/// Metrics over a whole dataset [n; features], in batches, each weighted by its size.
let evaluateDataset (vae: Vae<'P>) (beta: float) (gen: torch.Generator) (p: 'P) (data: Tensor) (batchSize: int) =
    if batchSize < 1 then invalidArg "batchSize" $"batch size must be >= 1, got {batchSize}"
    let n = data.shape.[0]
    if n = 0L then invalidArg "data" "the dataset is empty"
    evaluateBatches
        vae
        beta
        gen
        p
        (seq { for start in 0L .. int64 batchSize .. n - 1L -> data.narrow (0L, start, min (int64 batchSize) (n - start)) })
