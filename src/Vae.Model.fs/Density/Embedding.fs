/// An embedding network for a conditional density estimator, as sbi's `CNNEmbedding` on 1-d data: a trace
/// [batch; length] becomes a few features [batch; features] that the estimator conditions on, its parameters trained
/// jointly with the density's (`Estimator`'s `Embedded` net, fitted by `Fit`). sbi's layers are kept: convolutions of
/// kernel 5, stride 1, padding 1, each followed by a ReLU and a max-pool of 2; channels 6 then 12; then a dense layer of
/// 50 and a dense layer to 20 features, each followed by a ReLU (sbi's `FCEmbedding` ends with its activation). One step
/// is added in front: the trace is average-pooled by a fixed factor (10 by default), so 5,000 samples enter the
/// convolutions as 500 (the report protocol's 0.01 ms step becomes 0.1 ms: an action potential, 1-2 ms wide, still
/// spans 10-20 pooled samples) and the dense layer sees 12 x 123 values instead of 12 x 1,248. Pure functions of a parameter record, like the VAEs.
module Vae.Model.Density.Embedding

open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Layers

/// Sizes of an embedding network.
type Config =
    {
        /// Samples of the input trace.
        Length: int
        /// The fixed average-pooling factor applied to the trace first (1: none).
        Pool: int
        /// Output channels of each convolution, in order (sbi: 6, 12).
        Channels: int[]
        /// Kernel of every convolution (sbi: 5).
        Kernel: int
        /// Max-pooling factor after every convolution (sbi: 2).
        MaxPool: int
        /// Width of the dense hidden layer (sbi: 50).
        Hidden: int
        /// Output features (sbi: 20).
        Features: int
    }

/// sbi's `CNNEmbedding` defaults for a trace of `length` samples, average-pooled by 10 first.
let defaults (length: int) = { Length = length; Pool = 10; Channels = [| 6; 12 |]; Kernel = 5; MaxPool = 2; Hidden = 50; Features = 20 }

/// Parameters: the convolutions, the dense hidden layer and the output layer.
type Params = { Convs: Conv1d[]; Hidden: Dense; Out: Dense }

// sbi's padding of every convolution.
let private padding = 1

/// Samples per channel after each stage: the pooled trace, then after each convolution and its max-pool.
let lengths (cfg: Config) : int[] = Array.scan (fun l _ -> convLength l cfg.Kernel 1 padding / cfg.MaxPool) (cfg.Length / cfg.Pool) cfg.Channels

/// Whether a trace of `cfg.Length` samples leaves at least one sample after every stage.
let fits (cfg: Config) : bool = lengths cfg |> Array.forall (fun l -> l >= 1)

/// Values entering the dense hidden layer: the last convolution's channels times their length.
let flatWidth (cfg: Config) = Array.last cfg.Channels * Array.last (lengths cfg)

let private validate (cfg: Config) =
    let positive = [ cfg.Length; cfg.Pool; cfg.Kernel; cfg.MaxPool; cfg.Hidden; cfg.Features ] |> List.forall (fun v -> v > 0)
    if not positive || cfg.Channels.Length = 0 || cfg.Channels |> Array.exists (fun c -> c < 1) then
        invalidArg "cfg" $"sizes must be positive and at least one convolution given: {cfg}"
    if not (fits cfg) then
        invalidArg "cfg" $"a trace of {cfg.Length} samples pooled by {cfg.Pool} is too short for {cfg.Channels.Length} convolutions: {cfg}"

/// Initial parameters: He-normal throughout (every layer is followed by a ReLU), zero biases.
let init (cfg: Config) (spec: TensorSpec) (gen: torch.Generator) : Params =
    validate cfg
    let inputs = Array.append [| 1 |] cfg.Channels
    { Convs = Array.init cfg.Channels.Length (fun i -> conv1d Init.HeNormal gen spec inputs.[i] cfg.Channels.[i] cfg.Kernel 1 padding)
      Hidden = dense Init.HeNormal gen spec (flatWidth cfg) cfg.Hidden
      Out = dense Init.HeNormal gen spec cfg.Hidden cfg.Features }

/// The features [batch; features] of traces [batch; length] (standardized by the estimator first); differentiable.
let apply (cfg: Config) (p: Params) (trace: Tensor) : Tensor =
    if trace.dim () <> 2L || trace.shape.[1] <> int64 cfg.Length then
        invalidArg "trace" $"expected [batch; {cfg.Length}] traces, got {Safetensors.shapeText trace.shape}"
    let batch = trace.shape.[0]
    let pool = int64 cfg.Pool
    let pooled = torch.nn.functional.avg_pool1d (trace.unsqueeze 1L, pool, pool)
    let convolved =
        p.Convs
        |> Array.fold
            (fun h c ->
                let m = int64 cfg.MaxPool
                torch.nn.functional.max_pool1d (relu (applyConv1d c h), m, m))
            pooled
    relu (applyDense p.Out (relu (applyDense p.Hidden (convolved.reshape (batch, -1L)))))

/// The sizes as metadata entries ("embedding.<size>"), for the estimator's file.
let metadata (cfg: Config) : (string * string) list =
    [ "embedding.length", string cfg.Length
      "embedding.pool", string cfg.Pool
      "embedding.channels", cfg.Channels |> Array.map string |> String.concat ","
      "embedding.kernel", string cfg.Kernel
      "embedding.maxpool", string cfg.MaxPool
      "embedding.hidden", string cfg.Hidden
      "embedding.features", string cfg.Features ]

/// The sizes read back from `metadata`'s entries, or None when there are none (an estimator without embedding).
let ofMetadata (m: Map<string, string>) : Config option =
    match m.TryFind "embedding.length" with
    | None -> None
    | Some length ->
        let text k =
            match m.TryFind("embedding." + k) with
            | Some v -> v
            | None -> raise (System.IO.InvalidDataException $"estimator metadata lacks \"embedding.{k}\"")
        let get k = int (text k)
        Some
            { Length = int length
              Pool = get "pool"
              Channels = (text "channels").Split ',' |> Array.map int
              Kernel = get "kernel"
              MaxPool = get "maxpool"
              Hidden = get "hidden"
              Features = get "features" }
