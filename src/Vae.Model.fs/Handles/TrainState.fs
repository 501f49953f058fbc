/// A model in training as one value: its parameters, the optimizer and its state, and the KL weight, with the
/// training step inside (flax's `TrainState`), whatever the parameter type.
namespace Vae.Model

open TorchSharp
open Vae.Model.Interop
open Vae.Model.Optim

/// Parameters and optimizer state of a VAE under one optimizer and KL weight. It owns its tensors (`Dispose`
/// frees them). `StepInPlace` writes the update into them (buffer donation, as `Training.stepInPlace`); `Step`
/// leaves them intact and returns a new state.
[<AbstractClass>]
type TrainState internal () =
    /// The parameters as a trained model; it shares this state's tensors, so it sees every in-place step.
    abstract Model: TrainedVae
    /// Updates applied so far (the optimizer state's count): the step number the next update must be given.
    abstract Updates: int64
    /// One update on `batch` with one reparameterized draw per example from `gen`, written into this state's
    /// tensors; `step` must equal `Updates`. Returns the batch's metrics before the update.
    abstract StepInPlace: batch: Tensor * gen: torch.Generator * step: int64 -> Losses.Metrics
    /// The same update as `StepInPlace` into a new state that the caller owns; this one is left intact.
    abstract Step: batch: Tensor * gen: torch.Generator * step: int64 -> struct (TrainState * Losses.Metrics)
    /// Writes parameters, optimizer state and `Updates` as a checkpoint at `path` (atomically).
    abstract SaveCheckpoint: path: string -> unit
    /// A new state read from the checkpoint at `path` onto `device`, in this state's structure (same model and
    /// optimizer); this one is left intact. Fails if the file's names, shapes or dtypes differ.
    abstract LoadCheckpoint: path: string * device: torch.Device -> TrainState
    /// Frees the parameter and optimizer-state tensors.
    abstract Dispose: unit -> unit

    interface System.IDisposable with
        member s.Dispose() = s.Dispose()

/// The `TrainState` of a trainer over parameters 'P.
type internal PackedTrainState<'P>(trainer: Training.Trainer<'P>, p: 'P, state: OptState, flops: 'P -> int -> int64) =
    inherit TrainState()
    let model = PackedVae(trainer.Vae, p, flops)
    override _.Model = model
    override _.Updates = state.Count
    override _.StepInPlace(batch, gen, step) = Training.stepInPlace trainer p state batch gen step
    override _.Step(batch, gen, step) =
        let p', state', metrics = Training.step trainer p state batch gen step
        struct (new PackedTrainState<'P>(trainer, p', state', flops), metrics)
    override _.SaveCheckpoint path = Checkpoint.save path p state state.Count
    override _.LoadCheckpoint(path, device) =
        let p', state', _ = Checkpoint.load path device p state
        new PackedTrainState<'P>(trainer, p', state', flops)
    override _.Dispose() =
        Params.dispose p
        disposeState state
