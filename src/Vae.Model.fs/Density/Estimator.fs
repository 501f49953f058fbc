/// One conditional density estimator q(theta | s) over both kinds (mixture density network, spline flow), as sbi's
/// posterior wraps its density estimator: settings, the z-scoring statistics of theta and the context fitted on the
/// training pairs, and the parameters (stored by `EstimatorFile`). With an embedding network (`Embedding`) the context
/// is a trace and the density conditions on the network's features, both trained together. Log densities and samples
/// are in theta's own units.
module Vae.Model.Density.Estimator

open System
open System.Globalization
open TorchSharp
open Vae.Model
open Vae.Model.Interop

/// The family of the density estimator.
type Kind =
    /// A mixture of Gaussians with full covariances (`Mdn`).
    | Mdn
    /// A neural spline flow (`SplineFlow`).
    | Flow

/// Sizes of an estimator; each kind reads its own (an MDN `Components`, a flow `Transforms`, `Bins`, `Bound`).
type Settings =
    {
        Kind: Kind
        /// Features of the context s the density conditions on (with an embedding: the embedding's output features).
        Context: int
        /// Dimensions of theta.
        Dim: int
        /// Width of the hidden layers.
        Hidden: int
        /// Mixture components (MDN).
        Components: int
        /// Spline transforms (flow).
        Transforms: int
        /// Spline bins (flow).
        Bins: int
        /// The splines act on [-Bound, Bound] of standardized values (flow).
        Bound: float
        /// The embedding network from a trace to the context's features, trained with the density; None: the context
        /// is given as features.
        Embedding: Embedding.Config option
    }

/// sbi's defaults: MDN 10 components and 50 hidden; flow 5 transforms, 50 hidden, 10 bins, bound 3.
let defaults (kind: Kind) (context: int) (dim: int) : Settings =
    { Kind = kind; Context = context; Dim = dim; Hidden = 50; Components = 10; Transforms = 5; Bins = 10; Bound = 3.0; Embedding = None }

/// sbi's defaults with an embedding network (`Embedding.defaults`) on traces of `length` samples.
let embedded (kind: Kind) (length: int) (dim: int) : Settings =
    let e = Embedding.defaults length
    { defaults kind e.Features dim with Embedding = Some e }

let private mdnConfig (s: Settings) : Mdn.Config = { Mdn.defaults s.Context s.Dim with Components = s.Components; Hidden = s.Hidden }

let private flowConfig (s: Settings) : SplineFlow.Config =
    { SplineFlow.defaults s.Context s.Dim with Transforms = s.Transforms; Hidden = s.Hidden; Bins = s.Bins; Bound = s.Bound }

/// The parameters of either kind, alone or after an embedding network.
type Net =
    | MdnNet of Mdn.Params
    | FlowNet of SplineFlow.Params
    /// An embedding network and the density conditioned on its features.
    | Embedded of Embedding.Params * Net

let private embeddingOf (s: Settings) = s.Embedding |> Option.defaultWith (fun () -> invalidArg "s" "the settings have no embedding network")

/// Initial parameters for the settings, drawn from `gen` (the embedding's first).
let rec init (s: Settings) (spec: TensorSpec) (gen: torch.Generator) : Net =
    match s.Embedding, s.Kind with
    | Some e, _ -> Embedded(Embedding.init e spec gen, init { s with Embedding = None } spec gen)
    | None, Mdn -> MdnNet(Mdn.init (mdnConfig s) spec gen)
    | None, Flow -> FlowNet(SplineFlow.init (flowConfig s) spec gen)

/// The parameter tensors, in `Params.flatten` order of the kind's record (the embedding's first).
let rec leaves (net: Net) : Tensor[] =
    match net with
    | MdnNet p -> Params.flatten p
    | FlowNet p -> Params.flatten p
    | Embedded(e, density) -> Array.append (Params.flatten e) (leaves density)

/// Dotted paths of the parameter tensors, in `leaves` order (the embedding's under "embedding.").
let rec paths (net: Net) : string[] =
    match net with
    | MdnNet p -> Params.paths p
    | FlowNet p -> Params.paths p
    | Embedded(e, density) -> Array.append (Params.paths e |> Array.map (fun n -> "embedding." + n)) (paths density)

/// The net with the structure of `template` and the given tensors (in `leaves` order).
let rec withLeaves (template: Net) (tensors: Tensor[]) : Net =
    match template with
    | MdnNet p -> MdnNet(Params.unflatten p tensors)
    | FlowNet p -> FlowNet(Params.unflatten p tensors)
    | Embedded(e, density) ->
        let k = (Params.flatten e).Length
        Embedded(Params.unflatten e tensors.[.. k - 1], withLeaves density tensors.[k..])

/// log q of standardized theta [batch; dim] given standardized contexts [batch; context] (or traces [batch; length]
/// with an embedding), [batch]; differentiable.
let rec standardizedLogProb (s: Settings) (net: Net) (context: Tensor) (theta: Tensor) : Tensor =
    match net with
    | MdnNet p -> Mdn.logProb (mdnConfig s) p context theta
    | FlowNet p -> SplineFlow.logProb (flowConfig s) p context theta
    | Embedded(e, density) -> standardizedLogProb s density (Embedding.apply (embeddingOf s) e context) theta

/// The context's z-scoring, fitted on training contexts: per column for features; for a trace one mean and standard
/// deviation over all its values (sbi's "structured" z-scoring: per sample, the samples before the stimulus, which
/// vary only by the noise, would be blown up to the spikes' scale).
let contextStatistics (s: Settings) (context: Tensor) : Standardization.Statistics =
    match s.Embedding with
    | None -> Standardization.fit context
    | Some _ -> Standardization.fit (context.reshape (-1L, 1L))

/// A fitted estimator: settings, the statistics theta and the context are standardized by, and the parameters.
type Fitted = { Settings: Settings; Theta: Standardization.Statistics; Context: Standardization.Statistics; Net: Net }

/// Rows handled at once by the chunked functions: bounds the temporaries (a flow holds tens of values per row).
let chunkRows = 65536L

let private asNet (f: Fitted) (t: Tensor) =
    let dtype = (leaves f.Net).[0].dtype
    if t.dtype = dtype then t else t.to_type dtype

/// With an embedding network: the density alone (its context the features, not standardized again) and the features
/// of the traces [batch; length], computed without gradients in chunks; otherwise the estimator and the contexts as
/// they are. Lets the functions below repeat or split features, not traces.
let features (f: Fitted) (context: Tensor) : Fitted * Tensor =
    match f.Net with
    | Embedded(e, density) ->
        use _ = torch.no_grad ()
        let cfg = embeddingOf f.Settings
        let n = context.shape.[0]
        let rows = chunkRows / 16L
        let parts =
            [| for start in 0L .. rows .. n - 1L do
                   use _scope = torch.NewDisposeScope()
                   let trace = asNet f (context.narrow (0L, start, min rows (n - start)))
                   (Embedding.apply cfg e (Standardization.apply f.Context trace)).MoveToOuterDisposeScope() |]
        let values = if parts.Length = 0 then torch.zeros ([| 0L; int64 cfg.Features |], dtype = (leaves f.Net).[0].dtype) else torch.cat (parts, 0L)
        { f with Settings = { f.Settings with Embedding = None }; Context = Standardization.identity cfg.Features; Net = density }, values
    | _ -> f, context

/// log q(theta | s) [batch] in theta's units (the log std of the standardization included), for contexts
/// [batch; context] and theta [batch; dim]; differentiable, in the parameters' dtype, not chunked.
let logProb (f: Fitted) (context: Tensor) (theta: Tensor) : Tensor =
    Standardization.logProb f.Theta f.Context (standardizedLogProb f.Settings f.Net) (asNet f context) (asNet f theta)

/// `logProb` without gradients, in chunks of `chunkRows` rows: for large evaluation sets.
let logProbChunked (f: Fitted) (context: Tensor) (theta: Tensor) : Tensor =
    use _ = torch.no_grad ()
    let f, context = features f context
    let n = context.shape.[0]
    let parts =
        [| for start in 0L .. chunkRows .. n - 1L do
               use _scope = torch.NewDisposeScope()
               let rows = min chunkRows (n - start)
               (logProb f (context.narrow (0L, start, rows)) (theta.narrow (0L, start, rows))).MoveToOuterDisposeScope() |]
    if parts.Length = 0 then torch.zeros ([| 0L |], dtype = (leaves f.Net).[0].dtype) else torch.cat (parts, 0L)

/// log q of `count` samples per context: samples [batch; count; dim] and contexts [batch; context] give
/// [batch; count], in chunks (e.g. the log density of posterior samples, for expected coverage).
let logProbOfSamples (f: Fitted) (context: Tensor) (samples: Tensor) : Tensor =
    let f, context = features f context
    let batch, count = samples.shape.[0], samples.shape.[1]
    let repeated = context.unsqueeze(1L).expand(batch, count, context.shape.[1]).reshape(batch * count, context.shape.[1])
    (logProbChunked f repeated (samples.reshape (batch * count, samples.shape.[2]))).reshape(batch, count)

/// `count` samples of theta per context, in theta's units: [batch; count; dim] for contexts [batch; context], drawn
/// from `gen`, without gradients. Contexts are taken in chunks of at most `chunkRows` samples, so 2,000 contexts x
/// 1,000 samples need only the result and one chunk's temporaries.
let sample (f: Fitted) (gen: torch.Generator) (count: int) (context: Tensor) : Tensor =
    if count < 1 then invalidArg "count" $"need at least one sample, got {count}"
    use _ = torch.no_grad ()
    let f, context = features f context
    let batch = context.shape.[0]
    let dtype = (leaves f.Net).[0].dtype
    let result = torch.empty ([| batch; int64 count; int64 f.Settings.Dim |], dtype = dtype)
    let perChunk = max 1L (chunkRows / int64 count)
    for start in 0L .. perChunk .. batch - 1L do
        use _scope = torch.NewDisposeScope()
        let rows = min perChunk (batch - start)
        let s = asNet f (context.narrow (0L, start, rows))
        let draw standardized =
            match f.Net with
            | MdnNet p -> Mdn.sample (mdnConfig f.Settings) p gen count standardized
            | FlowNet p -> SplineFlow.sample (flowConfig f.Settings) p gen count standardized
            | Embedded _ -> invalidOp "features are drawn from after the embedding"
        result.narrow(0L, start, rows).copy_(Standardization.sample f.Theta f.Context draw s) |> ignore
    result
