/// Fully connected VAEs: the MLP-VAE (one hidden layer) and the DNN-VAE (several), decoder mirroring encoder.
module Vae.Model.DenseVae

open Vae.Model.Interop
open Vae.Model.Layers

/// Sizes of a fully connected VAE.
type Config =
    {
        /// Features per example (784 for 28x28 images, 5000 for traces).
        Input: int
        /// Hidden layer widths of the encoder, first to last; the decoder uses them in reverse.
        Hidden: int list
        /// Latent dimension.
        Latent: int
        /// Observation model of the output.
        Likelihood: Losses.Likelihood
    }

/// MLP-VAE of the study: 784 -> 500 -> (20, 20); 20 -> 500 -> 784, Bernoulli.
let mlpDefault = { Input = 784; Hidden = [ 500 ]; Latent = 20; Likelihood = Losses.Bernoulli }

/// DNN-VAE of the study: 784 -> 500 -> 150 -> (20, 20); 20 -> 150 -> 500 -> 784, Bernoulli.
let dnnDefault = { mlpDefault with Hidden = [ 500; 150 ] }

/// `cfg` for examples of `input` features.
let withInput (input: int) (cfg: Config) : Config = { cfg with Input = input }

/// `cfg` with a latent of `latent` dimensions.
let withLatent (latent: int) (cfg: Config) : Config = { cfg with Latent = latent }

/// `cfg` with the observation model `likelihood`.
let withLikelihood (likelihood: Losses.Likelihood) (cfg: Config) : Config = { cfg with Likelihood = likelihood }

/// Parameters: hidden stacks, one head producing [mu; logvar], decoder stack and output layer (means, then
/// per-sample log-scales for a heteroscedastic likelihood), and the per-model log-scale of a Gaussian or Laplace
/// likelihood ([1], else empty).
type Params = { Encoder: Dense[]; Head: Dense; Decoder: Dense[]; Output: Dense; LogScale: Tensor[] }

let private validate (cfg: Config) =
    if cfg.Input < 1 || cfg.Latent < 1 || cfg.Hidden.IsEmpty || List.exists (fun h -> h < 1) cfg.Hidden then
        invalidArg "cfg" $"sizes must be positive and at least one hidden layer given: {cfg}"

/// Initial parameters: He-normal hidden layers, LeCun-normal head and output layer, zero biases.
let init (cfg: Config) (spec: TensorSpec) (gen: TorchSharp.torch.Generator) : Params =
    validate cfg
    let encSizes = cfg.Input :: cfg.Hidden
    let decSizes = cfg.Latent :: List.rev cfg.Hidden
    let stack sizes = sizes |> List.pairwise |> List.map (fun (i, o) -> dense Init.HeNormal gen spec i o) |> Array.ofList
    let encoder = stack encSizes
    let head = dense Init.LecunNormal gen spec (List.last cfg.Hidden) (2 * cfg.Latent)
    let decoder = stack decSizes
    let output = dense Init.LecunNormal gen spec (List.head cfg.Hidden) (Losses.outputChannels cfg.Likelihood * cfg.Input)
    { Encoder = encoder; Head = head; Decoder = decoder; Output = output; LogScale = Losses.initModelScale cfg.Likelihood spec }

/// q(z|x): (mu, logvar), each [batch; latent].
let encode (p: Params) (x: Tensor) : Tensor * Tensor = applyHeads p.Head (applyDenseRelus p.Encoder x)

/// Decoder output [batch; input]: logits or means; with a noise scale [batch; 2 x input] = concat(means,
/// log-scales), the layout of `Losses.Likelihood`.
let decode (p: Params) (z: Tensor) : Tensor =
    let h = applyDenseRelus p.Decoder z
    Losses.withModelScale p.LogScale (applyDense p.Output h)

/// FLOPs of one training step at batch size `batch`, counted from the layer shapes (see `Flops`).
let trainingFlops (p: Params) (batch: int) : int64 =
    Array.concat [ p.Encoder; [| p.Head |]; p.Decoder; [| p.Output |] ]
    |> Array.mapi (fun i l -> Flops.training batch (if i = 0 then Flops.ReadsData else Flops.Inner) (Flops.dense l))
    |> Array.sum

/// The model as a `Vae` value.
let model (cfg: Config) : Vae<Params> =
    validate cfg
    { Encode = encode; Decode = decode; Likelihood = cfg.Likelihood; LatentDim = cfg.Latent; Convolutions = [] }
