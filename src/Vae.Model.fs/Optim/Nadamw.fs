/// NAdamW (Dozat 2016; Loshchilov & Hutter 2019) as the chain it is defined by: clip -> scale by Adam with
/// Nesterov momentum -> add decayed weights -> scale by the learning rate, so that
/// u = -lr_t (mhat / (sqrt(vhat + epsRoot) + eps) + weightDecay * theta). `transform` applies that chain with
/// NadamwKernel as an optimization of its first two transformations.
module Vae.Model.Nadamw

open System
open TorchSharp
open Vae.Model.Interop
open Vae.Model.Updates
open Vae.Model.Optim

/// NAdamW settings; `Defaults` are the study's.
[<NoEquality; NoComparison>]
type Config =
    {
        B1: float
        B2: float
        Eps: float
        EpsRoot: float
        WeightDecay: float
        /// The leaves decayed, by parameter path (`Params.paths`); `Transforms.allLeaves` for all of them.
        Decays: string -> bool
        /// Element-wise gradient clip applied first; None for no clipping.
        Clip: float option
    }

    /// b1 0.9, b2 0.999, eps 1e-8, epsRoot 0, weight decay 1e-4 on every leaf, clip to [-1, 1].
    static member Defaults = { B1 = 0.9; B2 = 0.999; Eps = 1e-8; EpsRoot = 0.0; WeightDecay = 1e-4; Decays = Transforms.allLeaves; Clip = Some 1.0 }

let private spec (cfg: Config) : Adam.Spec = { B1 = cfg.B1; B2 = cfg.B2; Eps = cfg.Eps; EpsRoot = cfg.EpsRoot; Nesterov = true }

// The element-wise head (clip, Adam) and the linear tail (decay, learning rate) of the chain.
let private parts (cfg: Config) (schedule: Schedule) =
    [ yield! cfg.Clip |> Option.map Transforms.clipByValue |> Option.toList; Adam.scale (spec cfg) ],
    [ Transforms.addDecayedWeights cfg.WeightDecay cfg.Decays; Transforms.scaleByLearningRate schedule ]

/// NAdamW as the plain chain of its transformations, each applied with libtorch operations.
let chain (cfg: Config) (schedule: Schedule) : GradientTransformation =
    let head, tail = parts cfg schedule
    Optim.chain (head @ tail)

// The kernel's coefficients for leaf i: the chain's tail run on Adam's terms of that leaf, with the leaf's
// second moment standing for the denominator (the tail only scales coefficients and adds parameter terms),
// then read back as Decay * p + A * m / d + B * g / d. None if the tail left another form.
let private kernelCoefficients
    (tail: GradientTransformation list)
    (tailStates: OptState list)
    (k: Adam.Constants)
    (m: Tensor[])
    (v: Tensor[])
    (gs: Tensor[])
    (leaves: Leaves)
    =
    let adamTerms =
        Array.init gs.Length (fun i ->
            [ { Coefficient = k.A; Numerator = m.[i]; Denominator = Some v.[i] }
              { Coefficient = k.B; Numerator = gs.[i]; Denominator = Some v.[i] } ])
    let folded = List.zip tail tailStates |> List.fold (fun us (t, s) -> t.Update s us leaves) adamTerms
    let same (a: Tensor) (b: Tensor) = Object.ReferenceEquals(a, b)
    let over i (t: Term) (n: Tensor) =
        same t.Numerator n
        && (match t.Denominator with
            | Some d -> same d v.[i]
            | None -> false)
    folded
    |> Array.mapi (fun i terms ->
        match terms with
        | [ p; a; b ] when same p.Numerator leaves.Values.[i] && p.Denominator.IsNone && over i a m.[i] && over i b gs.[i] ->
            Some(p.Coefficient, a.Coefficient, b.Coefficient)
        | [ a; b ] when over i a m.[i] && over i b gs.[i] -> Some(0.0, a.Coefficient, b.Coefficient)
        | _ -> None)

/// NAdamW: `chain`, with its clip and Adam's moments, denominator and update terms computed by
/// `NadamwKernel.run` in one pass over each leaf it `applies` to (contiguous float32 or float64 on the CPU, the
/// training case), and the chain's own `Update` on the other leaves. The tail's coefficients come from the tail's
/// own transformations. The state is the chain's. The kernel rounds as its one pass does (`NadamwKernel`), so
/// its leaves match `chain` to rounding, the others bit for bit.
let transform (cfg: Config) (schedule: Schedule) : GradientTransformation =
    let head, tail = parts cfg schedule
    let reference = Optim.chain (head @ tail)
    let adamIndex = head.Length - 1
    let adamSpec = spec cfg
    // The kernel's leaves get their update at `target`; the others' updates come back by leaf index.
    let run target (state: OptState) (gs: Tensor[]) (leaves: Leaves) : (int * Leaf)[] =
        let adam = state.Parts.[adamIndex]
        let m, v, ps = Adam.mu adam, Adam.nu adam, leaves.Values
        let k = Adam.constants adamSpec adam.Count
        let coefficients = kernelCoefficients tail (List.skip head.Length state.Parts) k m v gs leaves
        let fused, other =
            Array.init gs.Length id |> Array.partition (fun i -> coefficients.[i].IsSome && NadamwKernel.applies [| gs.[i]; m.[i]; v.[i]; ps.[i] |])
        let pick (ts: Tensor[]) (indices: int[]) = indices |> Array.map (fun i -> ts.[i])
        for (decay, a, b), group in fused |> Array.groupBy (fun i -> coefficients.[i].Value) do
            NadamwKernel.run
                { Clip = defaultArg cfg.Clip infinity
                  B1 = cfg.B1
                  B2 = cfg.B2
                  RootScale = k.RootScale
                  EpsRoot = cfg.EpsRoot
                  Eps = k.E
                  Decay = decay
                  A = a
                  B = b }
                target
                (pick gs group)
                (pick m group)
                (pick v group)
                (pick ps group)
        if other.Length = 0 then
            [||]
        else
            let gsOther = pick gs other |> Array.map ofTensor
            Array.zip other (reference.Update (restrict other state) gsOther (Updates.pick other leaves))
    let update state (updates: Leaf[]) leaves =
        let gs = Array.map evaluate updates
        let result = Array.map ofTensor gs
        for i, u in run NadamwKernel.IntoGradients state gs leaves do
            result.[i] <- u
        result
    let applyInPlace state gs (leaves: Leaves) =
        for i, u in run NadamwKernel.IntoParameters state gs leaves do
            leaves.Values.[i].add_(evaluate u) |> ignore
    { reference with Update = update; ApplyInPlace = Some applyInPlace }

/// The study's NAdamW (`Config.Defaults`) with its decoupled weight decay and element-wise clip (None: no
/// clipping) replaced.
let study (weightDecay: float) (clip: float option) (schedule: Schedule) : GradientTransformation =
    transform { Config.Defaults with WeightDecay = weightDecay; Clip = clip } schedule
