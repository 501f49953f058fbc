/// Optimizers as compositions of gradient transformations (optax style): each has `Init` (state from the
/// parameter leaves) and `Update` (step, incoming updates, state, parameters -> outgoing updates). `Update` is
/// written once, in its buffer-donating form; the pure form (`update`, `apply`) runs it on copies.
module Vae.Model.Optim

open TorchSharp
open Vae.Model.Interop

/// Adam's moments, one tensor per parameter leaf.
type AdamState =
    { /// First moments (m).
      Mu: Tensor[]
      /// Second moments (v).
      Nu: Tensor[] }

/// Optimizer state: per-leaf tensors aligned with the parameter leaves, nested for chains.
type OptState =
    /// A stateless transformation.
    | Empty
    /// The moments of `scaleByAdam`.
    | Adam of AdamState
    /// The states of a chain's transformations, in order.
    | Chain of OptState list

/// A gradient transformation. `Update step updates state params`: `step` is the 0-based number of updates
/// applied before this one; `updates` and `params` are leaves in `Params.flatten` order. `Update` may
/// overwrite `updates` and the tensors of `state` (which then hold the new state) and returns the outgoing
/// updates, possibly in the incoming buffers: buffer donation, which saves most allocations. `params` are
/// only read.
type GradientTransformation =
    { Init: Tensor[] -> OptState
      Update: int64 -> Tensor[] -> OptState -> Tensor[] -> Tensor[]
      /// `Update` and the addition of its result to `params` in one, when the transformation can do that in fewer
      /// passes over memory (`applyInPlace` uses it): the same values; `params` and the state are overwritten,
      /// the incoming updates may be.
      ApplyInPlace: (int64 -> Tensor[] -> OptState -> Tensor[] -> unit) option }

/// The state with every tensor replaced by `f` of it.
let rec mapState (f: Tensor -> Tensor) (state: OptState) : OptState =
    match state with
    | Empty -> Empty
    | Adam a -> Adam { Mu = Array.map f a.Mu; Nu = Array.map f a.Nu }
    | Chain states -> Chain(List.map (mapState f) states)

/// A fresh copy of a state, detached from autograd.
let copyState (state: OptState) : OptState = mapState (fun t -> t.detach().clone()) state

/// The pure form of `t.Update`: its inputs stay intact; the outgoing updates and the new state are new tensors.
let update (t: GradientTransformation) (step: int64) (updates: Tensor[]) (state: OptState) (ps: Tensor[]) : Tensor[] * OptState =
    let state' = copyState state
    t.Update step (updates |> Array.map (fun u -> u.detach().clone())) state' ps, state'

let private stateless (f: int64 -> Tensor[] -> Tensor[] -> Tensor[]) =
    { Init = (fun _ -> Empty); Update = (fun step updates _ ps -> f step updates ps); ApplyInPlace = None }

/// Clips every element of the updates to [-limit, limit].
let clipByValue (limit: float) : GradientTransformation =
    if not (limit > 0.0) then invalidArg "limit" $"clip limit must be > 0, got {limit}"
    stateless (fun _ updates _ ->
        use lo = scalar -limit
        use hi = scalar limit
        updates |> Array.map (fun u -> u.clamp_(lo, hi)))

/// The per-step constants of Adam's update u = (a m_t + b g) / (sqrt v_t + e) (see `scaleByAdam`): the bias
/// corrections folded into a, b and e. With epsRoot = 0 the correction of v moves out of the square root,
/// mhat / (sqrt(v / c2) + eps) = (sqrt c2 mhat) / (sqrt v + eps sqrt c2), which saves two passes; then
/// `RootScale` is 1, otherwise the denominator is sqrt(v RootScale + epsRoot) + eps.
type private AdamConstants = { A: float; B: float; E: float; RootScale: float }

let private adamConstants b1 b2 eps epsRoot nesterov (step: int64) =
    let t = float (step + 1L)
    let c1 = 1.0 - b1 ** t
    let c2 = 1.0 - b2 ** t
    let fold = if epsRoot = 0.0 then sqrt c2 else 1.0
    { A = fold * (if nesterov then b1 / (1.0 - b1 ** (t + 1.0)) else 1.0 / c1)
      B = (if nesterov then fold * (1.0 - b1) / c1 else 0.0)
      E = (if epsRoot = 0.0 then eps * fold else eps)
      RootScale = (if epsRoot = 0.0 then 1.0 else 1.0 / c2) }

// The moments' update in place, m <- b1 m + (1 - b1) g, v <- b2 v + (1 - b2) g^2, and the denominator
// sqrt(v) + e (new tensor); four passes and one allocation per leaf.
let private moments b1 b2 epsRoot (k: AdamConstants) (g: Tensor) (m: Tensor) (v: Tensor) : Tensor =
    use sb1 = scalar b1
    use sa1 = scalar (1.0 - b1)
    use sb2 = scalar b2
    use sa2 = scalar (1.0 - b2)
    use se = scalar k.E
    m.mul_(sb1).add_(g, sa1) |> ignore
    v.mul_(sb2).addcmul_(g, g, sa2) |> ignore
    if epsRoot = 0.0 then
        v.sqrt().add_(se)
    else
        use sr = scalar k.RootScale
        use ser = scalar epsRoot
        (v * sr).add_(ser).sqrt_().add_(se)

let private adamInit (ps: Tensor[]) = Adam { Mu = ps |> Array.map torch.zeros_like; Nu = ps |> Array.map torch.zeros_like }

let private adamState (state: OptState) =
    match state with
    | Adam a -> a
    | other -> invalidArg "state" $"not an Adam state: {other}"

/// Adam moments and rescaling (Kingma & Ba 2014), with Nesterov momentum (Dozat 2016) when `nesterov`:
///   m_t = b1 m + (1 - b1) g,  v_t = b2 v + (1 - b2) g^2,
///   mhat = b1 m_t / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t)   (nesterov; else m_t / (1 - b1^t)),
///   vhat = v_t / (1 - b2^t),  u = mhat / (sqrt(vhat + epsRoot) + eps),   t = step + 1.
let scaleByAdam (b1: float) (b2: float) (eps: float) (epsRoot: float) (nesterov: bool) : GradientTransformation =
    if not (b1 >= 0.0 && b1 < 1.0 && b2 >= 0.0 && b2 < 1.0) then invalidArg "b1" $"b1 and b2 must lie in [0, 1), got {b1}, {b2}"
    if not (eps >= 0.0 && epsRoot >= 0.0) then invalidArg "eps" "eps and epsRoot must be >= 0"
    let updateInPlace step (gs: Tensor[]) state (_: Tensor[]) =
        let a = adamState state
        let k = adamConstants b1 b2 eps epsRoot nesterov step
        use sa = scalar k.A
        use sb = scalar k.B
        gs
        |> Array.mapi (fun i g ->
            use denom = moments b1 b2 epsRoot k g a.Mu.[i] a.Nu.[i]
            // The update is written over the gradient: a m_t + b g (nesterov) or a m_t.
            (if nesterov then g.mul_(sb).add_(a.Mu.[i], sa) else g.copy_(a.Mu.[i]).mul_(sa)).div_(denom))
    { Init = adamInit; Update = updateInPlace; ApplyInPlace = None }

/// Adds `weightDecay * params` to the updates (decoupled weight decay, Loshchilov & Hutter 2019).
let addDecayedWeights (weightDecay: float) : GradientTransformation =
    if not (weightDecay >= 0.0) then invalidArg "weightDecay" $"weight decay must be >= 0, got {weightDecay}"
    stateless (fun _ updates ps ->
        use wd = scalar weightDecay
        Array.map2 (fun (u: Tensor) (p: Tensor) -> u.add_(p, wd)) updates ps)

/// Multiplies the updates by -lr(step), turning them into descent steps.
let scaleByLearningRate (schedule: Schedule) : GradientTransformation =
    stateless (fun step updates _ ->
        use lr = scalar -(schedule.At step)
        updates |> Array.map (fun u -> u.mul_(lr)))

/// Applies transformations in order, each to the previous one's output.
let chain (transforms: GradientTransformation list) : GradientTransformation =
    let init ps = Chain(transforms |> List.map (fun t -> t.Init ps))
    let updateInPlace step updates state ps =
        match state with
        | Chain states when states.Length = transforms.Length ->
            List.zip transforms states |> List.fold (fun us (t, s) -> t.Update step us s ps) updates
        | other -> invalidArg "state" $"not the state of a {transforms.Length}-transformation chain: {other}"
    { Init = init; Update = updateInPlace; ApplyInPlace = None }

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

/// NAdamW as the composition it is defined by: clip -> scale by Adam (Nesterov) -> add decayed weights ->
/// scale by the learning rate, so that u = -lr_t (mhat / (sqrt(vhat + epsRoot) + eps) + weightDecay * theta).
let nadamwChain (cfg: NadamwConfig) (schedule: Schedule) : GradientTransformation =
    chain
        [ match cfg.Clip with
          | Some c -> clipByValue c
          | None -> ()
          scaleByAdam cfg.B1 cfg.B2 cfg.Eps cfg.EpsRoot true
          addDecayedWeights cfg.WeightDecay
          scaleByLearningRate schedule ]

/// NAdamW: the update of `nadamwChain` fused. Leaves that `NadamwKernel.applies` to (contiguous float32 or
/// float64 on the CPU, the training case) take one pass over their memory in `NadamwKernel.run`; others take
/// ten libtorch operations: clip, two per moment, two for the denominator and three building
/// u = -lr (wd theta + (a m + b g) / denominator). `Update` writes u over the gradient; `ApplyInPlace` adds it to
/// the parameters, which the kernel does in its one pass. The state is the chain's, so checkpoints of either
/// load into the other.
let nadamw (cfg: NadamwConfig) (schedule: Schedule) : GradientTransformation =
    let reference = nadamwChain cfg schedule
    let clip = cfg.Clip |> Option.map (fun c -> clipByValue c)
    let adamIndex = if clip.IsSome then 1 else 0
    // The kernel's leaves get their update at `target`; the others' updates come back by leaf index.
    let run target step (gs: Tensor[]) state (ps: Tensor[]) : (int * Tensor) list =
        let a =
            match state with
            | Chain states when states.Length = adamIndex + 3 -> adamState states.[adamIndex]
            | other -> invalidArg "state" $"not a NAdamW state: {other}"
        let k = adamConstants cfg.B1 cfg.B2 cfg.Eps cfg.EpsRoot true step
        let lr = schedule.At step
        let fused, other =
            Array.init gs.Length id |> Array.partition (fun i -> NadamwKernel.applies [| gs.[i]; a.Mu.[i]; a.Nu.[i]; ps.[i] |])
        let pick (ts: Tensor[]) (indices: int[]) = indices |> Array.map (fun i -> ts.[i])
        NadamwKernel.run
            { Clip = defaultArg cfg.Clip infinity
              B1 = cfg.B1
              B2 = cfg.B2
              RootScale = k.RootScale
              EpsRoot = cfg.EpsRoot
              Eps = k.E
              Decay = -lr * cfg.WeightDecay
              A = -lr * k.A
              B = -lr * k.B }
            target (pick gs fused) (pick a.Mu fused) (pick a.Nu fused) (pick ps fused)
        if other.Length = 0 then []
        else
            let gsOther = pick gs other
            let gsOther = match clip with Some c -> c.Update step gsOther Empty (pick ps other) | None -> gsOther
            use decay = scalar (-lr * cfg.WeightDecay)
            use sa = scalar (-lr * k.A)
            use sb = scalar (-lr * k.B)
            [ for j, i in Array.indexed other ->
                  use denom = moments cfg.B1 cfg.B2 cfg.EpsRoot k gsOther.[j] a.Mu.[i] a.Nu.[i]
                  i, (ps.[i] * decay).addcdiv_(a.Mu.[i], denom, sa).addcdiv_(gsOther.[j], denom, sb) ]
    let updateInPlace step (gs: Tensor[]) state ps =
        let updates = Array.copy gs
        for i, u in run NadamwKernel.IntoGradients step gs state ps do
            updates.[i] <- u
        updates
    let applyInPlace step gs state (ps: Tensor[]) =
        for i, u in run NadamwKernel.IntoParameters step gs state ps do
            ps.[i].add_(u) |> ignore
    { Init = reference.Init; Update = updateInPlace; ApplyInPlace = Some applyInPlace }

/// The study's NAdamW (`NadamwConfig.Defaults`) with its decoupled weight decay and element-wise clip
/// (None: no clipping) replaced.
let studyNadamw (weightDecay: float) (clip: float option) (schedule: Schedule) : GradientTransformation =
    nadamw { NadamwConfig.Defaults with WeightDecay = weightDecay; Clip = clip } schedule

/// Optimizer state for a parameter record.
let init (opt: GradientTransformation) (p: 'P) : OptState = opt.Init(Params.flatten p)

/// The update written into the parameter and state tensors (buffer donation): `p`, `state` and `grads` are
/// overwritten; `p` and `state` then hold the new values. Runs without autograd recording.
let applyInPlace (opt: GradientTransformation) (step: int64) (grads: 'P) (state: OptState) (p: 'P) : unit =
    use scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    let ps = Params.flatten p
    match opt.ApplyInPlace with
    | Some fused -> fused step (Params.flatten grads) state ps
    | None ->
        let updates = opt.Update step (Params.flatten grads) state ps
        Array.iter2 (fun (x: Tensor) (u: Tensor) -> x.add_(u) |> ignore) ps updates

/// One update of a parameter record from its gradients: (params + updates, new state), computed as
/// `applyInPlace` on copies. The inputs stay intact; the results are new tensors owned by the caller's
/// dispose scope, if any.
let apply (opt: GradientTransformation) (step: int64) (grads: 'P) (state: OptState) (p: 'P) : 'P * OptState =
    let p' = Params.copy p
    let state' = copyState state
    let grads' = Params.copy grads
    applyInPlace opt step grads' state' p'
    Params.dispose grads'
    p', state'

/// The tensors of a state with their dotted names ("1.mu.3": chain element, moment, leaf index).
let rec namedTensors (state: OptState) : (string * Tensor)[] =
    match state with
    | Empty -> [||]
    | Adam a -> Array.append (a.Mu |> Array.mapi (fun i t -> $"mu.{i}", t)) (a.Nu |> Array.mapi (fun i t -> $"nu.{i}", t))
    | Chain states ->
        [| for i, s in List.indexed states do for n, t in namedTensors s -> $"{i}.{n}", t |]

/// The state with the structure of `template` and the given tensors, in `namedTensors` order.
let withTensors (template: OptState) (tensors: Tensor[]) : OptState =
    let next = ref 0
    let take _ =
        let t = tensors.[next.Value]
        next.Value <- next.Value + 1
        t
    let rec build s =
        match s with
        | Empty -> Empty
        | Adam a ->
            let mu = Array.map take a.Mu
            Adam { Mu = mu; Nu = Array.map take a.Nu }
        | Chain states -> Chain(List.map build states)
    let result = build template
    if next.Value <> tensors.Length then invalidArg "tensors" $"expected {next.Value} tensors, got {tensors.Length}"
    result

/// Disposes every tensor of a state.
let disposeState (state: OptState) : unit =
    for _, t in namedTensors state do
        t.Dispose()
