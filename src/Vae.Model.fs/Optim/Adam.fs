/// Adam's moments and rescaling (Kingma & Ba 2014), with Nesterov momentum (Dozat 2016) as an option: the
/// transformation `scale` and the per-step arithmetic it shares with NAdamW's one-pass kernel.
module Vae.Model.Adam

open TorchSharp
open Vae.Model.Interop
open Vae.Model.Updates
open Vae.Model.Optim

/// Adam's settings.
type Spec =
    {
        B1: float
        B2: float
        Eps: float
        EpsRoot: float
        /// Nesterov momentum (NAdam).
        Nesterov: bool
    }

/// The per-step constants of the update u = (A m_t + B g) / (sqrt(v_t RootScale + epsRoot) + E): the bias
/// corrections folded into A, B and E. With epsRoot = 0 the correction of v moves out of the square root,
/// mhat / (sqrt(v / c2) + eps) = (sqrt c2 mhat) / (sqrt v + eps sqrt c2), which saves two passes; then
/// `RootScale` is 1.
type Constants = { A: float; B: float; E: float; RootScale: float }

/// The constants of the update at `count` (updates applied before it), t = count + 1.
let constants (spec: Spec) (count: int64) : Constants =
    let t = float (count + 1L)
    let c1 = 1.0 - spec.B1 ** t
    let c2 = 1.0 - spec.B2 ** t
    let fold = if spec.EpsRoot = 0.0 then sqrt c2 else 1.0
    { A = fold * (if spec.Nesterov then spec.B1 / (1.0 - spec.B1 ** (t + 1.0)) else 1.0 / c1)
      B = (if spec.Nesterov then fold * (1.0 - spec.B1) / c1 else 0.0)
      E = (if spec.EpsRoot = 0.0 then spec.Eps * fold else spec.Eps)
      RootScale = (if spec.EpsRoot = 0.0 then 1.0 else 1.0 / c2) }

// The moments' update in place, m <- b1 m + (1 - b1) g, v <- b2 v + (1 - b2) g^2, and the denominator
// sqrt(v RootScale + epsRoot) + E (new tensor); four passes and one allocation per leaf.
let private moments (spec: Spec) (k: Constants) (g: Tensor) (m: Tensor) (v: Tensor) : Tensor =
    use sb1 = scalar spec.B1
    use sa1 = scalar (1.0 - spec.B1)
    use sb2 = scalar spec.B2
    use sa2 = scalar (1.0 - spec.B2)
    use se = scalar k.E
    m.mul_(sb1).add_(g, sa1) |> ignore
    v.mul_(sb2).addcmul_(g, g, sa2) |> ignore
    if spec.EpsRoot = 0.0 then
        v.sqrt().add_(se)
    else
        use sr = scalar k.RootScale
        use ser = scalar spec.EpsRoot
        (v * sr).add_(ser).sqrt_().add_(se)

/// The first moments (m) of an Adam state, one tensor per leaf.
let mu (state: OptState) : Tensor[] = slot "mu" state

/// The second moments (v) of an Adam state, one tensor per leaf.
let nu (state: OptState) : Tensor[] = slot "nu" state

/// Adam's rescaling of the updates g, t = count + 1:
///   m_t = b1 m + (1 - b1) g,  v_t = b2 v + (1 - b2) g^2,
///   mhat = b1 m_t / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t)   (nesterov; else m_t / (1 - b1^t)),
///   vhat = v_t / (1 - b2^t),  u = mhat / (sqrt(vhat + epsRoot) + eps).
/// Its state: the count and the slots "mu" and "nu". The outgoing update of each leaf is the terms A m_t / d
/// and, with Nesterov momentum, B g / d, where d is the denominator (see `Constants`).
let scale (spec: Spec) : GradientTransformation =
    if not (spec.B1 >= 0.0 && spec.B1 < 1.0 && spec.B2 >= 0.0 && spec.B2 < 1.0) then
        invalidArg "spec" $"b1 and b2 must lie in [0, 1), got {spec.B1}, {spec.B2}"
    if not (spec.Eps >= 0.0 && spec.EpsRoot >= 0.0) then invalidArg "spec" "eps and epsRoot must be >= 0"
    let init (ps: Tensor[]) = leafState [ "mu", Array.map torch.zeros_like ps; "nu", Array.map torch.zeros_like ps ]
    let update (state: OptState) (updates: Leaf[]) (_: Leaves) =
        let k = constants spec state.Count
        let m, v = mu state, nu state
        updates
        |> Array.mapi (fun i u ->
            let g = evaluate u
            let d = moments spec k g m.[i] v.[i]
            [ { Coefficient = k.A; Numerator = m.[i]; Denominator = Some d }
              if spec.Nesterov then { Coefficient = k.B; Numerator = g; Denominator = Some d } ])
    { Init = init; Update = update; ApplyInPlace = None }
