/// One conditional density estimator q(theta | s) over both kinds (mixture density network, spline flow), as sbi's
/// posterior wraps its density estimator: settings, the z-scoring statistics of theta and the context fitted on the
/// training pairs, and the parameters. Log densities and samples are in theta's own units. Saved as one safetensors
/// file whose metadata holds the settings and statistics.
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
        /// Features of the context s.
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
    }

/// sbi's defaults: MDN 10 components and 50 hidden; flow 5 transforms, 50 hidden, 10 bins, bound 3.
let defaults (kind: Kind) (context: int) (dim: int) : Settings =
    { Kind = kind; Context = context; Dim = dim; Hidden = 50; Components = 10; Transforms = 5; Bins = 10; Bound = 3.0 }

let private mdnConfig (s: Settings) : Mdn.Config = { Mdn.defaults s.Context s.Dim with Components = s.Components; Hidden = s.Hidden }

let private flowConfig (s: Settings) : SplineFlow.Config =
    { SplineFlow.defaults s.Context s.Dim with Transforms = s.Transforms; Hidden = s.Hidden; Bins = s.Bins; Bound = s.Bound }

/// The parameters of either kind.
type Net =
    | MdnNet of Mdn.Params
    | FlowNet of SplineFlow.Params

/// Initial parameters for the settings, drawn from `gen`.
let init (s: Settings) (spec: TensorSpec) (gen: torch.Generator) : Net =
    match s.Kind with
    | Mdn -> MdnNet(Mdn.init (mdnConfig s) spec gen)
    | Flow -> FlowNet(SplineFlow.init (flowConfig s) spec gen)

/// The parameter tensors, in `Params.flatten` order of the kind's record.
let leaves (net: Net) : Tensor[] =
    match net with
    | MdnNet p -> Params.flatten p
    | FlowNet p -> Params.flatten p

/// Dotted paths of the parameter tensors, in `leaves` order.
let paths (net: Net) : string[] =
    match net with
    | MdnNet p -> Params.paths p
    | FlowNet p -> Params.paths p

/// The net with the structure of `template` and the given tensors (in `leaves` order).
let withLeaves (template: Net) (tensors: Tensor[]) : Net =
    match template with
    | MdnNet p -> MdnNet(Params.unflatten p tensors)
    | FlowNet p -> FlowNet(Params.unflatten p tensors)

/// log q of standardized theta [batch; dim] given standardized contexts [batch; context], [batch]; differentiable.
let standardizedLogProb (s: Settings) (net: Net) (context: Tensor) (theta: Tensor) : Tensor =
    match net with
    | MdnNet p -> Mdn.logProb (mdnConfig s) p context theta
    | FlowNet p -> SplineFlow.logProb (flowConfig s) p context theta

/// A fitted estimator: settings, the statistics theta and the context are standardized by, and the parameters.
type Fitted = { Settings: Settings; Theta: Standardization.Statistics; Context: Standardization.Statistics; Net: Net }

/// Rows handled at once by the chunked functions: bounds the temporaries (a flow holds tens of values per row).
let chunkRows = 65536L

let private asNet (f: Fitted) (t: Tensor) =
    let dtype = (leaves f.Net).[0].dtype
    if t.dtype = dtype then t else t.to_type dtype

/// log q(theta | s) [batch] in theta's units (the log std of the standardization included), for contexts
/// [batch; context] and theta [batch; dim]; differentiable, in the parameters' dtype, not chunked.
let logProb (f: Fitted) (context: Tensor) (theta: Tensor) : Tensor =
    Standardization.logProb f.Theta f.Context (standardizedLogProb f.Settings f.Net) (asNet f context) (asNet f theta)

/// `logProb` without gradients, in chunks of `chunkRows` rows: for large evaluation sets.
let logProbChunked (f: Fitted) (context: Tensor) (theta: Tensor) : Tensor =
    use _ = torch.no_grad ()
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
    let batch, count = samples.shape.[0], samples.shape.[1]
    let repeated = context.unsqueeze(1L).expand(batch, count, context.shape.[1]).reshape(batch * count, context.shape.[1])
    (logProbChunked f repeated (samples.reshape (batch * count, samples.shape.[2]))).reshape(batch, count)

/// `count` samples of theta per context, in theta's units: [batch; count; dim] for contexts [batch; context], drawn
/// from `gen`, without gradients. Contexts are taken in chunks of at most `chunkRows` samples, so 2,000 contexts x
/// 1,000 samples need only the result and one chunk's temporaries.
let sample (f: Fitted) (gen: torch.Generator) (count: int) (context: Tensor) : Tensor =
    if count < 1 then invalidArg "count" $"need at least one sample, got {count}"
    use _ = torch.no_grad ()
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
        result.narrow(0L, start, rows).copy_(Standardization.sample f.Theta f.Context draw s) |> ignore
    result

[<Literal>]
let private Format = "functionalvae-estimator/1"

let private numbers (values: float[]) = values |> Array.map (fun v -> v.ToString("R", CultureInfo.InvariantCulture)) |> String.concat ","

let private parseNumbers (text: string) =
    if text = "" then [||] else text.Split ',' |> Array.map (fun v -> Double.Parse(v, CultureInfo.InvariantCulture))

/// The settings and statistics as metadata entries (numbers written round-trip exact).
let metadata (f: Fitted) : (string * string) list =
    let s = f.Settings
    [ "kind",
      (match s.Kind with
       | Mdn -> "mdn"
       | Flow -> "flow")
      "context", string s.Context
      "dim", string s.Dim
      "hidden", string s.Hidden
      "components", string s.Components
      "transforms", string s.Transforms
      "bins", string s.Bins
      "bound", numbers [| s.Bound |]
      "theta.mean", numbers f.Theta.Mean
      "theta.std", numbers f.Theta.Std
      "context.mean", numbers f.Context.Mean
      "context.std", numbers f.Context.Std ]

/// Settings and statistics read back from `metadata`.
let ofMetadata (m: Map<string, string>) : Settings * Standardization.Statistics * Standardization.Statistics =
    let get k =
        match m.TryFind k with
        | Some v -> v
        | None -> raise (IO.InvalidDataException $"estimator metadata lacks \"{k}\"")
    let kind =
        match get "kind" with
        | "mdn" -> Mdn
        | "flow" -> Flow
        | k -> raise (IO.InvalidDataException $"unknown estimator kind \"{k}\"")
    let settings =
        { Kind = kind
          Context = int (get "context")
          Dim = int (get "dim")
          Hidden = int (get "hidden")
          Components = int (get "components")
          Transforms = int (get "transforms")
          Bins = int (get "bins")
          Bound = (parseNumbers (get "bound")).[0] }
    let stats side : Standardization.Statistics = { Mean = parseNumbers (get (side + ".mean")); Std = parseNumbers (get (side + ".std")) }
    settings, stats "theta", stats "context"

/// The parameter tensors named "params/<path>", as files store them.
let namedParams (net: Net) : (string * Tensor)[] = Array.map2 (fun n t -> "params/" + n, t) (paths net) (leaves net)

/// The net of `settings` read from tensors named as `namedParams` names them; fails on a missing name or another shape.
let netOf (settings: Settings) (prefix: string) (tensors: Map<string, Tensor>) : Net =
    use _ = torch.no_grad ()
    let template = init settings TensorSpec.Float64 (generator 0UL)
    let take (name: string) (like: Tensor) =
        match tensors.TryFind(prefix + name) with
        | Some t when t.shape = like.shape -> t
        | Some t -> failwith $"tensor {prefix}{name} is {Safetensors.shapeText t.shape}, expected {Safetensors.shapeText like.shape}"
        | None -> failwith $"missing tensor {prefix}{name}"
    let net = withLeaves template (Array.map2 take (paths template) (leaves template))
    Params.dispose (leaves template)
    net

/// Writes the estimator to `path` (atomically): parameters bit for bit, settings and statistics in the metadata.
let save (path: string) (f: Fitted) : unit = Safetensors.write path (("format", Format) :: metadata f) (namedParams f.Net)

/// Reads an estimator written by `save`, its parameters on `device` in their stored dtype.
let load (path: string) (device: torch.Device) : Fitted =
    let m, tensors = Safetensors.read path device
    if m.TryFind "format" <> Some Format then raise (IO.InvalidDataException $"{path} is not a {Format} file")
    let settings, theta, context = ofMetadata m
    { Settings = settings; Theta = theta; Context = context; Net = netOf settings "params/" tensors }
