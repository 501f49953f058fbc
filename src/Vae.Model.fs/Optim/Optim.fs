/// Optimizers as chains of gradient transformations (optax style). Each transformation has `Init` (its state
/// from the parameter leaves) and `Update` (updates in, updates out), and owns its state: a step count and named
/// tensor slots, with the states of the transformations it composes. A new transformation adds slots under its
/// own names; nothing shared needs editing.
module Vae.Model.Optim

open TorchSharp
open Vae.Model.Interop
open Vae.Model.Updates

/// The state of a gradient transformation.
[<NoEquality; NoComparison>]
type OptState =
    {
        /// Updates applied with this state (optax's `count`). `Update` reads it; the application (`update`,
        /// `apply`, `applyInPlace`) advances every count of the state by one afterwards.
        mutable Count: int64
        /// The transformation's own tensors: named slots of one tensor per parameter leaf (Adam's "mu", "nu").
        Slots: (string * Tensor[]) list
        /// The states of the transformations it composes, in order (a chain's).
        Parts: OptState list
    }

/// A gradient transformation. `Update state updates leaves` returns the outgoing updates of the incoming ones;
/// it may overwrite the tensors of `state` (which then hold the new state) and the incoming updates' single
/// tensors (buffer donation, which saves most allocations); `leaves` (the parameters) are only read.
[<NoEquality; NoComparison>]
type GradientTransformation =
    {
        Init: Tensor[] -> OptState
        Update: OptState -> Leaf[] -> Leaves -> Leaf[]
        /// `Update` and the addition of its result to the parameters in one, when the transformation can do that
        /// in fewer passes over memory (`applyInPlace` uses it): the same values; the parameters and the state
        /// are overwritten, the incoming gradients may be. It does not advance the counts.
        ApplyInPlace: (OptState -> Tensor[] -> Leaves -> unit) option
    }

/// A state with the given slots and no parts, at count 0.
let leafState (slots: (string * Tensor[]) list) : OptState = { Count = 0L; Slots = slots; Parts = [] }

/// The tensors of slot `name`.
let slot (name: string) (state: OptState) : Tensor[] =
    match List.tryFind (fun (n, _) -> n = name) state.Slots with
    | Some(_, ts) -> ts
    | None -> invalidArg "state" $"""no slot "{name}" in a state with slots {List.map fst state.Slots}"""

/// A transformation without state, from its update.
let stateless (update: int64 -> Leaf[] -> Leaves -> Leaf[]) : GradientTransformation =
    { Init = (fun _ -> leafState []); Update = (fun state updates leaves -> update state.Count updates leaves); ApplyInPlace = None }

/// Applies transformations in order, each to the previous one's output; its state holds theirs as parts.
let chain (transforms: GradientTransformation list) : GradientTransformation =
    let init ps = { Count = 0L; Slots = []; Parts = transforms |> List.map (fun t -> t.Init ps) }
    let update (state: OptState) updates leaves =
        if state.Parts.Length <> transforms.Length then
            invalidArg "state" $"not the state of a {transforms.Length}-transformation chain: {state.Parts.Length} parts"
        List.zip transforms state.Parts |> List.fold (fun us (t, s) -> t.Update s us leaves) updates
    { Init = init; Update = update; ApplyInPlace = None }

/// The state with every tensor replaced by `f` of it (counts kept).
let rec mapState (f: Tensor -> Tensor) (state: OptState) : OptState =
    { Count = state.Count; Slots = state.Slots |> List.map (fun (n, ts) -> n, Array.map f ts); Parts = state.Parts |> List.map (mapState f) }

/// A fresh copy of a state, detached from autograd.
let copyState (state: OptState) : OptState = mapState (fun t -> t.detach().clone()) state

/// The state of the leaves at `indices` only: a view sharing the tensors, with its own counts.
let restrict (indices: int[]) (state: OptState) : OptState =
    let rec go (s: OptState) =
        { Count = s.Count; Slots = s.Slots |> List.map (fun (n, ts) -> n, indices |> Array.map (fun i -> ts.[i])); Parts = s.Parts |> List.map go }
    go state

/// Sets every count of the state to `count` (e.g. the step a checkpoint was written at).
let rec setCount (count: int64) (state: OptState) : unit =
    state.Count <- count
    for p in state.Parts do
        setCount count p

let rec private advance (state: OptState) =
    state.Count <- state.Count + 1L
    for p in state.Parts do
        advance p

/// The tensors of a state with their dotted names: "<slot>.<leaf index>" for its own slots, then
/// "<part index>.<name in the part>" (e.g. "1.mu.3": a chain's second transformation, slot mu, leaf 3).
let rec namedTensors (state: OptState) : (string * Tensor)[] =
    [| for n, ts in state.Slots do
           for i, t in Array.indexed ts -> $"{n}.{i}", t
       for i, s in List.indexed state.Parts do
           for n, t in namedTensors s -> $"{i}.{n}", t |]

/// The state with the structure and counts of `template` and the given tensors, in `namedTensors` order.
let withTensors (template: OptState) (tensors: Tensor[]) : OptState =
    let mutable next = 0
    let take _ =
        let t = tensors.[next]
        next <- next + 1
        t
    let rec build (s: OptState) =
        let slots = s.Slots |> List.map (fun (n, ts) -> n, Array.map take ts)
        { Count = s.Count; Slots = slots; Parts = List.map build s.Parts }
    let result = build template
    if next <> tensors.Length then invalidArg "tensors" $"expected {next} tensors, got {tensors.Length}"
    result

/// Disposes every tensor of a state.
let disposeState (state: OptState) : unit =
    for _, t in namedTensors state do
        t.Dispose()

/// Optimizer state for a parameter record, at count 0.
let init (opt: GradientTransformation) (p: 'P) : OptState = opt.Init(Params.flatten p)

/// The pure update (optax's `update`): the outgoing updates of `grads` at the state's count and the new state,
/// new tensors; the inputs stay intact.
let update (opt: GradientTransformation) (grads: 'P) (state: OptState) (p: 'P) : 'P * OptState =
    use _ = torch.no_grad ()
    let state' = copyState state
    let gs = Params.flatten grads |> Array.map (fun g -> ofTensor (g.detach().clone()))
    let us = opt.Update state' gs (leavesOf p) |> Array.map evaluate
    advance state'
    Params.unflatten grads us, state'

/// The update written into the parameter and state tensors (buffer donation): `p`, `state` and `grads` are
/// overwritten; `p` and `state` then hold the new values and the state's counts are advanced. Runs without
/// autograd recording.
let applyInPlace (opt: GradientTransformation) (grads: 'P) (state: OptState) (p: 'P) : unit =
    use scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    let leaves = leavesOf p
    let gs = Params.flatten grads
    match opt.ApplyInPlace with
    | Some fused -> fused state gs leaves
    | None ->
        let updates = opt.Update state (Array.map ofTensor gs) leaves
        Array.iter2 (fun (x: Tensor) u -> x.add_ (evaluate u) |> ignore) leaves.Values updates
    advance state

/// One update of a parameter record from its gradients: (params + updates, new state), computed as
/// `applyInPlace` on copies. The inputs stay intact; the results are new tensors owned by the caller's
/// dispose scope, if any.
let apply (opt: GradientTransformation) (grads: 'P) (state: OptState) (p: 'P) : 'P * OptState =
    let p' = Params.copy p
    let state' = copyState state
    let grads' = Params.copy grads
    applyInPlace opt grads' state' p'
    Params.dispose grads'
    p', state'
