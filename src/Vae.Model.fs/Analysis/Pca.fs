/// Principal components fitted on one set of examples and applied to others (e.g. fitted on the training
/// traces, applied to the test traces), by a seeded randomized range finder (Halko, Martinsson & Tropp 2011)
/// so that thousands of 5,000-sample traces take seconds instead of a full eigendecomposition.
module Vae.Model.Analysis.Pca

open TorchSharp
open Vae.Model.Interop

/// A fitted projection: the training mean [1; features], the leading components [features; count] and the
/// fraction of the training variance each explains.
type Projection =
    { Mean: Tensor
      Components: Tensor
      Explained: float[] }

/// Power iterations of the range finder: enough for the leading components of trace or pixel data to agree
/// with an exact eigendecomposition to float32 precision (tested).
let powerIterations = 6

/// Extra random directions beyond `count`.
let oversampling = 10

/// The first `count` principal components of `x` [n; features], in the dtype of `x`. Each component's sign
/// is fixed so that its largest loading is positive; the same data and seed give the same projection.
let fit (seed: uint64) (count: int) (x: Tensor) : Projection =
    if x.dim () <> 2L then invalidArg "x" $"x must be [n; features], got {x.dim ()} dimensions"
    let n, f = x.shape.[0], x.shape.[1]
    if count < 1 || int64 count > min n f then invalidArg "count" $"count must be in 1..{min n f}, got {count}"
    use _scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    let mean = x.mean([| 0L |], keepdim = true)
    let xc = x - mean
    let width = min (int64 (count + oversampling)) (min n f)
    use gen = generator seed
    let omega = torch.randn([| f; width |], dtype = x.dtype, generator = gen)
    let orth (a: Tensor) = let struct (q, _) = torch.linalg.qr a in q
    let mutable q = orth (xc.matmul omega)
    for _ in 1 .. powerIterations do
        q <- orth (xc.matmul (orth (xc.t().matmul q)))
    // B = Q'X is small (width x features): its right singular vectors are the components.
    let b = (q.t().matmul xc).to_type torch.float64
    let struct (values, vectors) = torch.linalg.eigh (b.matmul (b.t()))
    let leading = torch.arange(width - 1L, width - 1L - int64 count, -1L, dtype = torch.int64)
    let s2 = values.index_select(0L, leading).clamp_min(1e-300)
    let basis = (vectors.index_select(1L, leading).t().matmul b) / s2.sqrt().unsqueeze(1L)
    let components = basis.t()
    let signs = components.gather(0L, components.abs().argmax(0L, keepdim = true)).sign()
    let total = (xc.to_type torch.float64).square().sum().item<float> ()
    let explained = toArray s2 |> Array.map (fun v -> if total > 0.0 then v / total else 0.0)
    { Mean = mean.MoveToOuterDisposeScope()
      Components = (components * signs).to_type(x.dtype).MoveToOuterDisposeScope()
      Explained = explained }

/// `x` [m; features] projected on the fitted components: [m; count].
let project (pca: Projection) (x: Tensor) : Tensor =
    use _ = torch.no_grad ()
    (x - pca.Mean).matmul pca.Components
