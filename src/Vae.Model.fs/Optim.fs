/// Optimizers as compositions of pure gradient transformations (optax style): each has `Init` (state from
/// the parameter leaves) and `Update` (step, incoming updates, state, parameters -> outgoing updates, state).
/// Nothing is modified in place: inputs stay valid, outputs are new tensors.
module Vae.Model.Optim

open TorchSharp
open Vae.Model.Interop

/// Optimizer state: per-leaf tensors aligned with the parameter leaves, named, nested for chains.
type OptState =
    /// A stateless transformation.
    | Empty
    /// Named slots, each one tensor per parameter leaf (e.g. "mu" and "nu" for Adam).
    | Slots of (string * Tensor[]) list
    /// The states of a chain's transformations, in order.
    | Chain of OptState list

/// A gradient transformation. `Update step updates state params`: `step` is the 0-based number of updates
/// applied before this one; `updates` and `params` are leaves in `Params.flatten` order.
/// `UpdateInPlace` computes exactly the same values but may overwrite `updates` and the tensors of `state`
/// (which then hold the new state) and returns the outgoing updates: the buffer-donating form used by
/// `Training.stepInPlace`, which saves most allocations.
type GradientTransformation =
    { Init: Tensor[] -> OptState
      Update: int64 -> Tensor[] -> OptState -> Tensor[] -> Tensor[] * OptState
      UpdateInPlace: int64 -> Tensor[] -> OptState -> Tensor[] -> Tensor[] }

let private stateless (f: int64 -> Tensor[] -> Tensor[] -> Tensor[]) (fInPlace: int64 -> Tensor[] -> Tensor[] -> Tensor[]) =
    { Init = (fun _ -> Empty)
      Update = (fun step updates state ps -> f step updates ps, state)
      UpdateInPlace = fun step updates _ ps -> fInPlace step updates ps }

/// Clips every element of the updates to [-limit, limit].
let clipByValue (limit: float) : GradientTransformation =
    if not (limit > 0.0) then invalidArg "limit" $"clip limit must be > 0, got {limit}"
    stateless
        (fun _ updates _ -> updates |> Array.map (fun u -> u.clamp(scalar -limit, scalar limit)))
        (fun _ updates _ -> updates |> Array.map (fun u -> u.clamp_(scalar -limit, scalar limit)))

/// Adam moments and rescaling (Kingma & Ba 2014), with Nesterov momentum (Dozat 2016) when `nesterov`:
///   m_t = b1 m + (1 - b1) g,  v_t = b2 v + (1 - b2) g^2,
///   mhat = b1 m_t / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t)   (nesterov; else m_t / (1 - b1^t)),
///   vhat = v_t / (1 - b2^t),  u = mhat / (sqrt(vhat + epsRoot) + eps),   t = step + 1.
let scaleByAdam (b1: float) (b2: float) (eps: float) (epsRoot: float) (nesterov: bool) : GradientTransformation =
    if not (b1 >= 0.0 && b1 < 1.0 && b2 >= 0.0 && b2 < 1.0) then invalidArg "b1" $"b1 and b2 must lie in [0, 1), got {b1}, {b2}"
    if not (eps >= 0.0 && epsRoot >= 0.0) then invalidArg "eps" "eps and epsRoot must be >= 0"
    let init (ps: Tensor[]) =
        Slots [ "mu", ps |> Array.map torch.zeros_like; "nu", ps |> Array.map torch.zeros_like ]
    let moments state =
        match state with
        | Slots [ "mu", mus; "nu", nus ] -> mus, nus
        | other -> invalidArg "state" $"not an Adam state: {other}"
    // One leaf: new moments from `m'`, `v'` (fresh or donated buffers already holding b1 m and b2 v).
    let leaf (step: int64) (g: Tensor) (m': Tensor) (v': Tensor) =
        let t = float (step + 1L)
        let c1 = 1.0 - b1 ** t
        let c2 = 1.0 - b2 ** t
        // Bias-correction constants of mhat, and for vhat folded out of the square root when epsRoot = 0:
        // mhat / (sqrt(v / c2) + eps) = (sqrt c2 mhat) / (sqrt v + eps sqrt c2), two fewer passes.
        let fold = if epsRoot = 0.0 then sqrt c2 else 1.0
        let a = fold * (if nesterov then b1 / (1.0 - b1 ** (t + 1.0)) else 1.0 / c1)
        let b = fold * (1.0 - b1) / c1
        m'.add_(g, scalar (1.0 - b1)) |> ignore
        v'.addcmul_(g, g, scalar (1.0 - b2)) |> ignore
        let mhat = if nesterov then (m' * a).add_(g, scalar b) else m' * a
        let denom =
            if epsRoot = 0.0 then v'.sqrt().add_(scalar (eps * fold))
            else (v' * (1.0 / c2)).add_(scalar epsRoot).sqrt_().add_(scalar eps)
        mhat.div_(denom: Tensor)
    let update step (gs: Tensor[]) state (_: Tensor[]) =
        let mus, nus = moments state
        let mus' = mus |> Array.map (fun m -> m * b1)
        let nus' = nus |> Array.map (fun v -> v * b2)
        let us = Array.init gs.Length (fun i -> leaf step gs.[i] mus'.[i] nus'.[i])
        us, Slots [ "mu", mus'; "nu", nus' ]
    let updateInPlace step (gs: Tensor[]) state (_: Tensor[]) =
        let mus, nus = moments state
        Array.init gs.Length (fun i -> leaf step gs.[i] (mus.[i].mul_(scalar b1)) (nus.[i].mul_(scalar b2)))
    { Init = init; Update = update; UpdateInPlace = updateInPlace }

/// Adds `weightDecay * params` to the updates (decoupled weight decay, Loshchilov & Hutter 2019).
let addDecayedWeights (weightDecay: float) : GradientTransformation =
    if not (weightDecay >= 0.0) then invalidArg "weightDecay" $"weight decay must be >= 0, got {weightDecay}"
    stateless
        (fun _ updates ps -> Array.map2 (fun (u: Tensor) (p: Tensor) -> torch.add(u, p, scalar weightDecay)) updates ps)
        (fun _ updates ps -> Array.map2 (fun (u: Tensor) (p: Tensor) -> u.add_(p, scalar weightDecay)) updates ps)

/// Multiplies the updates by -lr(step), turning them into descent steps.
let scaleByLearningRate (schedule: Schedule) : GradientTransformation =
    stateless
        (fun step updates _ ->
            let lr = schedule.At step
            updates |> Array.map (fun u -> u * -lr))
        (fun step updates _ ->
            let lr = schedule.At step
            updates |> Array.map (fun u -> u.mul_(scalar -lr)))

/// Applies transformations in order, each to the previous one's output.
let chain (transforms: GradientTransformation list) : GradientTransformation =
    let init ps = Chain(transforms |> List.map (fun t -> t.Init ps))
    let update step updates state ps =
        match state with
        | Chain states when states.Length = transforms.Length ->
            let finalUpdates, newStates =
                List.zip transforms states
                |> List.fold
                    (fun (us, acc) (t, s) ->
                        let us', s' = t.Update step us s ps
                        us', s' :: acc)
                    (updates, [])
            finalUpdates, Chain(List.rev newStates)
        | other -> invalidArg "state" $"not the state of a {transforms.Length}-transformation chain: {other}"
    let updateInPlace step updates state ps =
        match state with
        | Chain states when states.Length = transforms.Length ->
            List.zip transforms states |> List.fold (fun us (t, s) -> t.UpdateInPlace step us s ps) updates
        | other -> invalidArg "state" $"not the state of a {transforms.Length}-transformation chain: {other}"
    { Init = init; Update = update; UpdateInPlace = updateInPlace }

/// NAdamW settings; `Defaults` are the study's.
type NadamwConfig =
    { B1: float
      B2: float
      Eps: float
      EpsRoot: float
      WeightDecay: float
      /// Element-wise gradient clip applied first; None for no clipping.
      Clip: float option }

    /// b1 0.9, b2 0.999, eps 1e-8, epsRoot 0, weight decay 1e-4, clip to [-1, 1].
    static member Defaults = { B1 = 0.9; B2 = 0.999; Eps = 1e-8; EpsRoot = 0.0; WeightDecay = 1e-4; Clip = Some 1.0 }

/// NAdamW: clip -> scale by Adam (Nesterov) -> add decayed weights -> scale by the learning rate, so that
/// u = -lr_t (mhat / (sqrt(vhat + epsRoot) + eps) + weightDecay * theta).
let nadamw (cfg: NadamwConfig) (schedule: Schedule) : GradientTransformation =
    chain
        [ match cfg.Clip with
          | Some c -> clipByValue c
          | None -> ()
          scaleByAdam cfg.B1 cfg.B2 cfg.Eps cfg.EpsRoot true
          addDecayedWeights cfg.WeightDecay
          scaleByLearningRate schedule ]

/// The study's NAdamW (`NadamwConfig.Defaults`) with its decoupled weight decay and element-wise clip
/// (None: no clipping) replaced.
let studyNadamw (weightDecay: float) (clip: float option) (schedule: Schedule) : GradientTransformation =
    nadamw { NadamwConfig.Defaults with WeightDecay = weightDecay; Clip = clip } schedule

/// Optimizer state for a parameter record.
let init (opt: GradientTransformation) (p: 'P) : OptState = opt.Init(Params.flatten p)

/// One update of a parameter record from its gradients: (params + updates, new state).
/// Intermediates are freed here; the results are new tensors owned by the caller's dispose scope, if any.
let apply (opt: GradientTransformation) (step: int64) (grads: 'P) (state: OptState) (p: 'P) : 'P * OptState =
    use scope = torch.NewDisposeScope()
    let ps = Params.flatten p
    let updates, state' = opt.Update step (Params.flatten grads) state ps
    let ps' = Array.map2 (fun (x: Tensor) (u: Tensor) -> (x + u).MoveToOuterDisposeScope()) ps updates
    let rec keep s =
        match s with
        | Empty -> Empty
        | Slots slots -> Slots(slots |> List.map (fun (n, ts) -> n, ts |> Array.map (fun t -> t.MoveToOuterDisposeScope())))
        | Chain states -> Chain(List.map keep states)
    Params.unflatten p ps', keep state'

/// The update of `apply` written into the parameter and state tensors (buffer donation): `p`, `state` and
/// `grads` are overwritten; `p` and `state` then hold the new values. Runs without autograd recording.
let applyInPlace (opt: GradientTransformation) (step: int64) (grads: 'P) (state: OptState) (p: 'P) : unit =
    use scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    let ps = Params.flatten p
    let updates = opt.UpdateInPlace step (Params.flatten grads) state ps
    Array.iter2 (fun (x: Tensor) (u: Tensor) -> x.add_(u) |> ignore) ps updates

/// The tensors of a state with their dotted names ("1.mu.3": chain element, slot, leaf index).
let rec namedTensors (state: OptState) : (string * Tensor)[] =
    match state with
    | Empty -> [||]
    | Slots slots -> [| for n, ts in slots do for i, t in Array.indexed ts -> $"{n}.{i}", t |]
    | Chain states ->
        [| for i, s in List.indexed states do for n, t in namedTensors s -> $"{i}.{n}", t |]

/// The state with the structure of `template` and the given tensors, in `namedTensors` order.
let withTensors (template: OptState) (tensors: Tensor[]) : OptState =
    let next = ref 0
    let rec build s =
        match s with
        | Empty -> Empty
        | Slots slots ->
            Slots(
                slots
                |> List.map (fun (n, ts) ->
                    n,
                    ts |> Array.map (fun _ ->
                        let t = tensors.[next.Value]
                        next.Value <- next.Value + 1
                        t))
            )
        | Chain states -> Chain(List.map build states)
    let result = build template
    if next.Value <> tensors.Length then invalidArg "tensors" $"expected {next.Value} tensors, got {tensors.Length}"
    result

/// Disposes every tensor of a state.
let disposeState (state: OptState) : unit =
    for _, t in namedTensors state do
        t.Dispose()
