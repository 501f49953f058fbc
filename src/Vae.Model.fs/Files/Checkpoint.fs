/// Checkpoints of parameters, optimizer state and step in one safetensors file, and trained models (parameters
/// and step only, a third of a checkpoint's size under NAdamW). Tensor names are "params/<dotted path>" (e.g.
/// "params/Encoder.0.W") and, in checkpoints, "opt/<chain index>.<slot>.<leaf index>"; the metadata holds
/// "format" ("functionalvae-checkpoint/1" or "functionalvae-model/1") and "step" (updates applied so far).
/// Values are stored bit for bit in their dtype, so a round trip is exact.
module Vae.Model.Checkpoint

open TorchSharp
open Vae.Model.Interop
open Vae.Model.Optim

[<Literal>]
let private Format = "functionalvae-checkpoint/1"

[<Literal>]
let private ModelFormat = "functionalvae-model/1"

let private namedParams (p: 'P) = Array.map2 (fun n t -> "params/" + n, t) (Params.paths p) (Params.flatten p)

/// Writes parameters, optimizer state and the step count to `path` (atomically: temporary file, rename).
let save (path: string) (p: 'P) (state: OptState) (step: int64) : unit =
    let tensors = Array.append (namedParams p) (namedTensors state |> Array.map (fun (n, t) -> "opt/" + n, t))
    Safetensors.write path [ "format", Format; "step", string step ] tensors

/// Writes a trained model: the parameters and the step count, no optimizer state (atomically).
let saveModel (path: string) (p: 'P) (step: int64) : unit = Safetensors.write path [ "format", ModelFormat; "step", string step ] (namedParams p)

// The file's tensors by name and a lookup that checks each against the tensor it replaces.
let private read (path: string) (device: torch.Device) (formats: string list) =
    let metadata, tensors = Safetensors.read path device
    match metadata.TryFind "format" with
    | Some f when List.contains f formats -> ()
    | _ -> raise (System.IO.InvalidDataException $"""{path} is not a {String.concat " or " formats} file""")
    let take (name: string) (like: Tensor) =
        match tensors.TryFind name with
        | None -> failwith $"{path}: missing tensor {name}"
        | Some t when t.shape <> like.shape || t.dtype <> like.dtype ->
            failwith $"{path}: tensor {name} is {t.dtype} {Safetensors.shapeText t.shape}, expected {like.dtype} {Safetensors.shapeText like.shape}"
        | Some t -> t
    tensors, take, int64 metadata.["step"]

let private paramsLike take (template: 'P) : 'P =
    Params.unflatten template (Array.map2 (fun n t -> take ("params/" + n) t) (Params.paths template) (Params.flatten template))

/// Reads a checkpoint into the structure of `template` and `stateTemplate` (e.g. a fresh `init` of the same
/// model config and `Optim.init` of the same optimizer), on `device`; every count of the state is the file's step
/// (a chain's transformations advance together). Fails if names, shapes or dtypes differ.
let load (path: string) (device: torch.Device) (template: 'P) (stateTemplate: OptState) : 'P * OptState * int64 =
    let tensors, take, step = read path device [ Format ]
    let expected = Array.length (Params.paths template) + Array.length (namedTensors stateTemplate)
    if tensors.Count <> expected then failwith $"{path}: holds {tensors.Count} tensors, the model and optimizer need {expected}"
    let p = paramsLike take template
    let s = namedTensors stateTemplate |> Array.map (fun (n, t) -> take ("opt/" + n) t)
    let state = withTensors stateTemplate s
    setCount step state
    p, state, step

/// Reads the parameters of a trained model or of a checkpoint (its optimizer state is freed) into the
/// structure of `template`, on `device`, with the step count. Fails if names, shapes or dtypes differ.
let loadParams (path: string) (device: torch.Device) (template: 'P) : 'P * int64 =
    let tensors, take, step = read path device [ ModelFormat; Format ]
    let p = paramsLike take template
    let expected = Array.length (Params.paths template)
    let stored = tensors |> Seq.filter (fun kv -> not (kv.Key.StartsWith "opt/")) |> Seq.length
    if stored <> expected then failwith $"{path}: holds {stored} parameter tensors, the model needs {expected}"
    for kv in tensors do
        if kv.Key.StartsWith "opt/" then kv.Value.Dispose()
    p, step
