/// Principal component analysis, in two forms: exact on a few columns (latent codes, by an eigendecomposition of
/// their covariance), and fitted on one set of examples and applied to others (e.g. fitted on the training traces,
/// applied to the test traces) by a seeded randomized range finder (Halko, Martinsson & Tropp 2011) so that
/// thousands of 5,000-sample traces take seconds instead of a full eigendecomposition.
module Vae.Model.Analysis.Pca

open TorchSharp
open Vae.Model.Interop

/// The indices of the last `count` of `width` columns, last first: eigh returns eigenvalues in ascending
/// order, so these are the leading components.
let private leading (width: int64) (count: int) = torch.arange (width - 1L, width - 1L - int64 count, -1L, dtype = torch.int64)

/// Signs (+1/-1 per column) that make each column's largest loading positive, so the same data always gives the
/// same map.
let private signsOf (basis: Tensor) = basis.gather(0L, basis.abs().argmax(0L, keepdim = true)).sign()

/// Each variance as a fraction of `total` (0 when the total is 0).
let private shares (total: float) (variances: float[]) = variances |> Array.map (fun v -> if total > 0.0 then v / total else 0.0)

/// The projection of `codes` [n; k] onto their first `count` principal components ([n; count], same dtype),
/// and the fraction of the total variance each component explains. Each component's sign is fixed so that its
/// largest loading is positive, so the same codes always give the same map. Exact; computed in float64.
let principalComponents (codes: Tensor) (count: int) : Tensor * float[] =
    if codes.dim () <> 2L then invalidArg "codes" $"codes must be [n; k], got {codes.dim ()} dimensions"
    let n, k = codes.shape.[0], codes.shape.[1]
    if count < 1 || int64 count > k then invalidArg "count" $"count must be in 1..{k}, got {count}"
    if n < 2L then invalidArg "codes" $"principal components need at least 2 codes, got {n}"
    use scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    let x = codes.to_type torch.float64
    let centred = x - x.mean ([| 0L |], keepdim = true)
    let cov = centred.t().matmul(centred) / float (n - 1L)
    let struct (values, vectors) = torch.linalg.eigh cov
    let top = leading k count
    let basis = vectors.index_select (1L, top)
    let projected = centred.matmul (basis * signsOf basis)
    let total = values.clamp_min(0.0).sum().item<float>()
    let explained = values.index_select(0L, top).clamp_min(0.0).data<float>().ToArray() |> shares total
    projected.to_type(codes.dtype).DetachFromDisposeScope(), explained

/// A fitted projection: the training mean [1; features], the leading components [features; count] and the
/// fraction of the training variance each explains.
type Projection = { Mean: Tensor; Components: Tensor; Explained: float[] }

/// Power iterations of the range finder: enough for the leading components of trace or pixel data to agree
/// with an exact eigendecomposition to float32 precision (tested).
let powerIterations = 6

/// Extra random directions beyond `count`.
let oversampling = 10

/// Rows per batch when `fit` walks a tensor: a few MB of traces at a time.
let fitBatchRows = 1024L

/// `f batch` summed over the batches of `data` (float64), each batch's temporaries freed before the next is read.
let private sumOver (data: unit -> seq<Tensor>) (f: Tensor -> Tensor) : Tensor =
    let mutable total: Tensor = null
    for b in data () do
        use batch = b
        use _inner = torch.NewDisposeScope()
        let part = (f batch).to_type torch.float64
        if isNull total then total <- part.MoveToOuterDisposeScope() else total.add_ part |> ignore
    total

/// `f batch` of each batch of `data`, stacked by rows, each batch's temporaries freed before the next is read.
let private rowsOver (data: unit -> seq<Tensor>) (f: Tensor -> Tensor) : Tensor =
    let parts =
        [| for b in data () do
               use batch = b
               use _inner = torch.NewDisposeScope()
               (f batch).MoveToOuterDisposeScope() |]
    torch.cat (parts, 0L)

/// The first `count` principal components of the examples `data ()` yields in batches [rows; features] (every call
/// the same rows in the same order; each batch is disposed after use), in the batches' dtype, by the randomized range
/// finder. Memory holds one batch and a few `rows` x (`count` + `oversampling`) and `features` x (`count` +
/// `oversampling`) matrices, however many rows there are: the data are read 2 `powerIterations` + 4 times. Each
/// component's sign is fixed so that its largest loading is positive; the same data and seed give the same projection.
let fitBatches (seed: uint64) (count: int) (data: unit -> seq<Tensor>) : Projection =
    use _scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    let mutable n, f, dtype = 0L, 0L, torch.float32
    let sum =
        sumOver data (fun b ->
            if b.dim () <> 2L then invalidArg "data" $"batches must be [rows; features], got {b.dim ()} dimensions"
            n <- n + b.shape.[0]
            f <- b.shape.[1]
            dtype <- b.dtype
            b.sum ([| 0L |], keepdim = true))
    if count < 1 || int64 count > min n f then invalidArg "count" $"count must be in 1..{min n f}, got {count}"
    let mean = (sum / float n).to_type dtype
    let width = min (int64 (count + oversampling)) (min n f)
    use gen = generator seed
    let omega = torch.randn ([| f; width |], dtype = dtype, generator = gen)
    let orth (a: Tensor) = let struct (q, _) = torch.linalg.qr a in q
    // Q's rows go with the batches' rows: `alongside q f` hands each batch (centred) its own rows of q.
    let alongside (q: Tensor) (f: Tensor -> Tensor -> Tensor) =
        let mutable start = 0L
        fun (b: Tensor) ->
            let rows = q.narrow (0L, start, b.shape.[0])
            start <- start + b.shape.[0]
            f (b - mean) rows
    let mutable q = orth (rowsOver data (fun b -> (b - mean).matmul omega))
    for _ in 1..powerIterations do
        let z = orth ((sumOver data (alongside q (fun xc rows -> xc.t().matmul rows))).to_type dtype)
        q <- orth (rowsOver data (fun b -> (b - mean).matmul z))
    // B = Q'X is small (width x features): its right singular vectors are the components.
    let b = sumOver data (alongside q (fun xc rows -> rows.t().matmul xc))
    let total = (sumOver data (fun batch -> (batch - mean).to_type(torch.float64).square().sum())).item<float>()
    let struct (values, vectors) = torch.linalg.eigh (b.matmul (b.t ()))
    let top = leading width count
    let s2 = values.index_select(0L, top).clamp_min(1e-300)
    let basis = (vectors.index_select(1L, top).t().matmul b) / s2.sqrt().unsqueeze(1L)
    let components = basis.t ()
    { Mean = mean.MoveToOuterDisposeScope()
      Components = (components * signsOf components).to_type(dtype).MoveToOuterDisposeScope()
      Explained = toArray s2 |> shares total }

/// The batches of rows of `x` [n; features] that `fit` reads: views, so nothing is copied.
let private batchesOf (x: Tensor) () : seq<Tensor> =
    let n = x.shape.[0]
    seq { for start in 0L .. fitBatchRows .. n - 1L -> x.narrow (0L, start, min fitBatchRows (n - start)) }

/// The first `count` principal components of `x` [n; features], in the dtype of `x`: `fitBatches` over its rows.
let fit (seed: uint64) (count: int) (x: Tensor) : Projection =
    if x.dim () <> 2L then invalidArg "x" $"x must be [n; features], got {x.dim ()} dimensions"
    fitBatches seed count (batchesOf x)

/// `x` [m; features] projected on the fitted components: [m; count].
let project (pca: Projection) (x: Tensor) : Tensor =
    use _ = torch.no_grad ()
    (x - pca.Mean).matmul pca.Components

/// The examples `data ()` yields in batches, projected on the fitted components: [rows; count].
let projectBatches (pca: Projection) (data: unit -> seq<Tensor>) : Tensor =
    use scope = torch.NewDisposeScope()
    use _ = torch.no_grad ()
    (rowsOver data (project pca)).MoveToOuterDisposeScope()
