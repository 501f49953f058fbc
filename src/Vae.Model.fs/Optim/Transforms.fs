/// The element-wise gradient transformations without moments: a clip, decoupled weight decay and the
/// learning-rate scaling. The last two are linear: they act on the updates' coefficients and add terms
/// (see `Updates`), never on their tensors.
module Vae.Model.Transforms

open TorchSharp
open Vae.Model.Interop
open Vae.Model.Updates
open Vae.Model.Optim

/// Clips every element of the updates to [-limit, limit], in the incoming buffers when they are single tensors.
let clipByValue (limit: float) : GradientTransformation =
    if not (limit > 0.0) then invalidArg "limit" $"clip limit must be > 0, got {limit}"
    stateless (fun _ updates _ ->
        use lo = scalar -limit
        use hi = scalar limit
        updates |> Array.map (fun u -> ofTensor ((evaluate u).clamp_(lo, hi))))

/// Every parameter leaf: the weight-decay mask of the study (decay on weights and biases alike).
let allLeaves (_: string) : bool = true

/// Parameter leaves other than the layers' biases (paths ending in field "B"): a common weight-decay mask.
let notBiases (path: string) : bool = path <> "B" && not (path.EndsWith ".B")

/// Adds `weightDecay * params` to the updates of the leaves whose path satisfies `mask` (decoupled weight decay,
/// Loshchilov & Hutter 2019), as the first term of their sum.
let addDecayedWeights (weightDecay: float) (mask: string -> bool) : GradientTransformation =
    if not (weightDecay >= 0.0) then invalidArg "weightDecay" $"weight decay must be >= 0, got {weightDecay}"
    stateless (fun _ updates leaves ->
        updates
        |> Array.mapi (fun i u ->
            if mask leaves.Paths.[i] then { Coefficient = weightDecay; Numerator = leaves.Values.[i]; Denominator = None } :: u else u))

/// Multiplies the updates by -lr(count), turning them into descent steps; the count is this transformation's.
let scaleByLearningRate (schedule: Schedule) : GradientTransformation =
    stateless (fun count updates _ -> updates |> Array.map (scale -(schedule.At count)))

/// The factor PyTorch's `clip_grad_norm_` scales tensors by so that their global L2 norm is at most `maxNorm`:
/// maxNorm / (norm + 1e-6), capped at 1.
let globalNormFactor (maxNorm: float) (tensors: Tensor[]) : float =
    use squares = torch.stack (tensors |> Array.map (fun t -> t.square().sum()))
    use total = squares.sum ()
    min 1.0 (maxNorm / (sqrt (toScalar total) + 1e-6))

/// Scales the updates so that their global L2 norm (over all leaves) is at most `maxNorm`, as PyTorch's
/// `clip_grad_norm_` (`globalNormFactor`), which sbi applies at norm 5.
let clipByGlobalNorm (maxNorm: float) : GradientTransformation =
    if not (maxNorm > 0.0) then invalidArg "maxNorm" $"norm limit must be > 0, got {maxNorm}"
    stateless (fun _ updates _ ->
        let tensors = updates |> Array.map evaluate
        let factor = globalNormFactor maxNorm tensors
        if factor < 1.0 then tensors |> Array.map (fun t -> scale factor (ofTensor t)) else Array.map ofTensor tensors)
