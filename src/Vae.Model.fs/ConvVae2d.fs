/// Convolutional VAE for square images: Conv2d 32 and 64 (3x3, stride 2, padded) -> Dense 256 -> heads;
/// Dense -> ConvT 64 (s2) -> ConvT 32 (s2) -> ConvT 1 (s1). Examples are flat [batch; side*side].
module Vae.Model.ConvVae2d

open Vae.Model.Interop
open Vae.Model.Layers

/// Sizes of the image Conv-VAE.
type Config =
    {
        /// Image side (divisible by 4).
        Side: int
        /// Filters of the first and second convolution.
        Filters1: int
        Filters2: int
        /// Width of the dense layer after the convolutions.
        Hidden: int
        /// Latent dimension.
        Latent: int
        /// Observation model of the output.
        Likelihood: Losses.Likelihood
    }

/// The study's Conv-VAE for 28x28 MNIST.
let defaultConfig = { Side = 28; Filters1 = 32; Filters2 = 64; Hidden = 256; Latent = 20; Likelihood = Losses.Bernoulli }

/// `cfg` for images of `side` x `side` pixels.
let withSide (side: int) (cfg: Config) : Config = { cfg with Side = side }

/// `cfg` with a latent of `latent` dimensions.
let withLatent (latent: int) (cfg: Config) : Config = { cfg with Latent = latent }

/// `cfg` with the observation model `likelihood`.
let withLikelihood (likelihood: Losses.Likelihood) (cfg: Config) : Config = { cfg with Likelihood = likelihood }

/// Parameters. `Side` is the image side (static).
/// `LogScale` is the per-model log-scale of a Gaussian or Laplace likelihood ([1]), else empty.
type Params =
    { Conv1: Conv2d
      Conv2: Conv2d
      Hidden: Dense
      Head: Dense
      Project: Dense
      Up1: ConvT2d
      Up2: ConvT2d
      Out: ConvT2d
      LogScale: Tensor[]
      Side: int }

let private validate (cfg: Config) =
    if cfg.Side < 4 || cfg.Side % 4 <> 0 then invalidArg "cfg" $"image side must be a positive multiple of 4, got {cfg.Side}"
    if cfg.Filters1 < 1 || cfg.Filters2 < 1 || cfg.Hidden < 1 || cfg.Latent < 1 then invalidArg "cfg" $"sizes must be positive: {cfg}"

/// Initial parameters: He-normal hidden layers, LeCun-normal heads and last transposed convolution.
let init (cfg: Config) (spec: TensorSpec) (gen: TorchSharp.torch.Generator) : Params =
    validate cfg
    let q = cfg.Side / 4
    let flat = cfg.Filters2 * q * q
    let he, lecun = Init.HeNormal, Init.LecunNormal
    { Conv1 = conv2d he gen spec 1 cfg.Filters1 3 2 1
      Conv2 = conv2d he gen spec cfg.Filters1 cfg.Filters2 3 2 1
      Hidden = dense he gen spec flat cfg.Hidden
      Head = dense lecun gen spec cfg.Hidden (2 * cfg.Latent)
      Project = dense he gen spec cfg.Latent flat
      // (n - 1) * 2 - 2 + 3 + 1 = 2n: each stride-2 transposed convolution exactly doubles the side.
      Up1 = convT2d he gen spec cfg.Filters2 cfg.Filters2 3 2 1 1
      Up2 = convT2d he gen spec cfg.Filters2 cfg.Filters1 3 2 1 1
      Out = convT2d lecun gen spec cfg.Filters1 (Losses.outputChannels cfg.Likelihood) 3 1 1 0
      LogScale = Losses.initModelScale cfg.Likelihood spec
      Side = cfg.Side }

/// q(z|x): (mu, logvar), each [batch; latent].
let encode (p: Params) (x: Tensor) : Tensor * Tensor =
    let img = x.reshape (-1L, 1L, int64 p.Side, int64 p.Side)
    let h = img |> applyConv2d p.Conv1 |> relu |> applyConv2d p.Conv2 |> relu
    let h = h.flatten (1L) |> applyDense p.Hidden |> relu
    applyHeads p.Head h

/// Decoder output [batch; side*side]: logits or means; with a noise scale [batch; 2 x side*side] = concat(means,
/// log-scales), the layout of `Losses.Likelihood`.
let decode (p: Params) (z: Tensor) : Tensor =
    let q = int64 (p.Side / 4)
    let filters = p.Up1.W.shape.[0]
    let h = (applyDense p.Project z |> relu).reshape(-1L, filters, q, q) |> channelsLast
    let h = h |> applyConvT2d p.Up1 |> relu |> applyConvT2d p.Up2 |> relu |> applyConvT2d p.Out
    Losses.withModelScale p.LogScale (h.flatten (1L))

/// FLOPs of one training step at batch size `batch`, counted from the layer shapes (see `Flops`).
let trainingFlops (p: Params) (batch: int) : int64 =
    let c1, s1 = Flops.conv2d p.Conv1 p.Side
    let c2, s2 = Flops.conv2d p.Conv2 s1
    let u1, s3 = Flops.convT2d p.Up1 s2
    let u2, s4 = Flops.convT2d p.Up2 s3
    let out, _ = Flops.convT2d p.Out s4
    let inner = [ c2; Flops.dense p.Hidden; Flops.dense p.Head; Flops.dense p.Project; u1; u2; out ]
    Flops.training batch Flops.ReadsData c1 + List.sumBy (Flops.training batch Flops.Inner) inner

/// The convolutions of `init cfg` with the image sides they see, for the kernel self-check.
let convolutions (cfg: Config) : KernelCheck.ConvLayer list =
    let layer name kind cin cout stride op side grad = KernelCheck.layer name kind cin cout 3 stride 1 op side side grad
    let s, f1, f2 = cfg.Side, cfg.Filters1, cfg.Filters2
    [ layer "encoder Conv1" KernelCheck.Conv2d 1 f1 2 0 s false
      layer "encoder Conv2" KernelCheck.Conv2d f1 f2 2 0 (s / 2) true
      layer "decoder Up1" KernelCheck.ConvT2d f2 f2 2 1 (s / 4) true
      layer "decoder Up2" KernelCheck.ConvT2d f2 f1 2 1 (s / 2) true
      layer "decoder Out" KernelCheck.ConvT2d f1 (Losses.outputChannels cfg.Likelihood) 1 0 s true ]

/// The model as a `Vae` value.
let model (cfg: Config) : Vae<Params> =
    validate cfg
    { Encode = encode; Decode = decode; Likelihood = cfg.Likelihood; LatentDim = cfg.Latent; Convolutions = convolutions cfg }
