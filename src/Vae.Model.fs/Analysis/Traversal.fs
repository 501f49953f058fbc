/// Latent traversals: decode one code with a single dimension moved through quantiles of the prior and the
/// others held fixed, to see what each dimension does to the data.
module Vae.Model.Analysis.Traversal

open TorchSharp
open Vae.Model
open Vae.Model.Interop

/// The prior quantiles of the study's traversal figures: 5 %, 20 %, 50 %, 80 % and 95 %.
let studyQuantiles = [| 0.05; 0.2; 0.5; 0.8; 0.95 |]

/// The standard normal quantile function (probit) at each probability in (0, 1).
let normalQuantiles (probabilities: float[]) : float[] =
    if probabilities |> Array.exists (fun q -> not (q > 0.0 && q < 1.0)) then invalidArg "probabilities" "probabilities must lie in (0, 1)"
    use t = torch.tensor (probabilities |> Array.map (fun q -> 2.0 * q - 1.0), dtype = torch.float64)
    use e = t.erfinv ()
    toArray e |> Array.map (fun v -> sqrt 2.0 * v)

/// The mean code: the average posterior mean over the data, [latent].
let meanCode (mu: Tensor) : float[] = toArray (mu.to_type(torch.float64).mean([| 0L |]))

/// Codes [dims * quantiles; latent]: `baseCode` with dimension dims[i] set to the prior's quantile j in row
/// i * quantiles + j, every other dimension left at its base value.
let codes (baseCode: float[]) (dims: int[]) (probabilities: float[]) : float[][] =
    let values = normalQuantiles probabilities
    if dims |> Array.exists (fun d -> d < 0 || d >= baseCode.Length) then invalidArg "dims" $"dimensions must lie in 0..{baseCode.Length - 1}"
    [| for d in dims do
           for v in values -> Array.mapi (fun i b -> if i = d then v else b) baseCode |]

/// The data means [dims * quantiles; features] decoded from `codes baseCode dims probabilities`.
let decode (vae: Vae<'P>) (p: 'P) (spec: TensorSpec) (baseCode: float[]) (dims: int[]) (probabilities: float[]) : Tensor =
    let rows = codes baseCode dims probabilities
    use _scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    let z = ofArray spec [| int64 rows.Length; int64 baseCode.Length |] (Array.concat rows)
    (Inference.mean vae (vae.Decode p z)).DetachFromDisposeScope()
