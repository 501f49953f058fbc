/// The estimator's file: one safetensors file whose tensors are the parameters ("params/<path>") and whose metadata
/// holds the settings (the embedding's sizes among them) and the z-scoring statistics, numbers written round-trip exact.
module Vae.Model.Density.EstimatorFile

open System
open System.Globalization
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Density.Estimator

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
    @ (s.Embedding |> Option.map Embedding.metadata |> Option.defaultValue [])

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
          Bound = (parseNumbers (get "bound")).[0]
          Embedding = Embedding.ofMetadata m }
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
