/// Residual convolutional VAE for voltage traces: Conv1d over TIME as `ConvVae1d` runs it (channels-last rows of
/// height 1). Encoder: a strided stem convolution, then one stage per entry of `Filters`, each a strided
/// convolution into the stage's channels (the stem for the first) and `Blocks` residual blocks
/// (x -> relu(x + gain x conv(relu(conv x))), kernel `BlockKernel`, stride 1); then an optional Dense layer and the heads.
/// The decoder mirrors it: Dense -> the last stage's blocks -> a strided transposed convolution into the previous
/// stage's channels -> its blocks ... -> a transposed convolution back to the input length -> an output transposed
/// convolution of stride 1 into the likelihood's channels.
module Vae.Model.ResConvVae1d

open Vae.Model.Interop
open Vae.Model.Layers

/// Sizes of the residual trace VAE. Every convolution is padded by kernel/2 on each side.
type Config =
    {
        /// Samples per trace.
        Length: int
        /// Channels of each stage, first (finest) to last; one entry per stage.
        Filters: int list
        /// Kernel and stride of the strided convolutions (stem and downsamplings) and of their mirrors.
        Kernel: int
        Stride: int
        /// Kernel of the residual blocks' convolutions (odd, so that they keep the length).
        BlockKernel: int
        /// Residual blocks per stage, in the encoder and in the decoder.
        Blocks: int
        /// Width of the dense layer between the last stage and the heads; 0 for none.
        Hidden: int
        /// Latent dimension.
        Latent: int
        /// Observation model of the output.
        Likelihood: Losses.Likelihood
    }

/// The default residual trace VAE: the strides, kernels, channels and dense layer of `ConvVae1d.defaultConfig`
/// (5000 -> 1000 -> 200 samples, 32 and 64 channels, Dense 256) with two residual blocks of kernel 3 per stage on
/// each side. Chosen by measurement (docs/resconv.md).
let defaultConfig =
    { Length = 5000
      Filters = [ 32; 64 ]
      Kernel = 11
      Stride = 5
      BlockKernel = 3
      Blocks = 2
      Hidden = 256
      Latent = 2
      Likelihood = Losses.SquaredError }

/// `cfg` for traces of `length` samples.
let withLength (length: int) (cfg: Config) : Config = { cfg with Length = length }

/// `cfg` with a latent of `latent` dimensions.
let withLatent (latent: int) (cfg: Config) : Config = { cfg with Latent = latent }

/// `cfg` with the observation model `likelihood`.
let withLikelihood (likelihood: Losses.Likelihood) (cfg: Config) : Config = { cfg with Likelihood = likelihood }

/// A residual block: x -> relu(x + Gain x Second(relu(First x))), both convolutions of stride 1 keeping the channels.
type Block =
    {
        First: Conv1d
        Second: Conv1d
        /// The branch's learned scale ([1]), starting at zero (SkipInit, De and Smith 2020): each block starts as the
        /// identity and its branch grows in as training finds it useful.
        Gain: Tensor
    }

/// Parameters. Arrays are indexed by stage; `Hidden`/`Unhidden` are empty when the config has no dense layer.
type Params =
    {
        /// Strided convolutions into each stage: `Down.[0]` is the stem (1 -> Filters.[0] channels).
        Down: Conv1d[]
        /// The encoder's residual blocks of each stage.
        Encoder: Block[][]
        Hidden: Dense[]
        Head: Dense
        Unhidden: Dense[]
        Project: Dense
        /// The decoder's residual blocks of each stage (run last stage first).
        Decoder: Block[][]
        /// Strided transposed convolutions out of each stage, mirroring `Down`: `Up.[i]` maps stage i's length to
        /// the length before `Down.[i]`, into stage i - 1's channels (`Up.[0]`: the first stage's, at the input length).
        Up: ConvT1d[]
        /// Stride-1 transposed convolution into the likelihood's output channels.
        Out: ConvT1d
        /// The per-model log-scale of a Gaussian or Laplace likelihood ([1]), else empty (`Losses.initModelScale`).
        LogScale: Tensor[]
    }

let private validate (cfg: Config) =
    let sizes = [ cfg.Length; cfg.Kernel; cfg.Stride; cfg.BlockKernel; cfg.Latent ] @ cfg.Filters
    if List.isEmpty cfg.Filters || List.exists (fun s -> s < 1) sizes || cfg.Hidden < 0 || cfg.Blocks < 0 then
        invalidArg "cfg" $"sizes must be positive and there must be a stage: {cfg}"
    if cfg.BlockKernel % 2 = 0 then invalidArg "cfg" $"the block kernel must be odd to keep the length, got {cfg.BlockKernel}"

/// The length each stage works at (after its strided convolution), first stage first.
let lengths (cfg: Config) : int list =
    let ls = cfg.Filters |> List.scan (fun l _ -> convLength l cfg.Kernel cfg.Stride (cfg.Kernel / 2)) cfg.Length |> List.tail
    if List.exists (fun l -> l < 1) ls then invalidArg "cfg" $"the convolutions reduce {cfg.Length} samples to nothing"
    ls

/// Each stage as (input channels of its strided convolution, its channels, the length before it, its length, the
/// channels its mirror `Up` returns: the previous stage's, or the first stage's for the stem's mirror).
let private stages (cfg: Config) : (int * int * int * int * int) list =
    let ls, fs, n = lengths cfg, cfg.Filters, cfg.Filters.Length
    List.zip3 (List.zip (1 :: fs |> List.take n) fs) (List.zip (cfg.Length :: ls |> List.take n) ls) (fs.Head :: fs |> List.take n)
    |> List.map (fun ((cin, f), (before, l), back) -> cin, f, before, l, back)

/// Initial parameters: He-normal layers before a ReLU, LeCun-normal heads, block second convolutions and output layer,
/// and zero block gains, so that every block starts as the identity and the model as a plain strided Conv-VAE
/// (docs/resconv.md: without the gains, or with zero second convolutions instead, the blocks slowed early training).
let init (cfg: Config) (spec: TensorSpec) (gen: TorchSharp.torch.Generator) : Params =
    validate cfg
    let he, lecun = Init.HeNormal, Init.LecunNormal
    let k, s, q, bk = cfg.Kernel, cfg.Stride, cfg.Kernel / 2, cfg.BlockKernel
    let st = stages cfg
    let _, last, _, reduced, _ = List.last st
    let flat = last * reduced
    let blocks () =
        [| for _, f, _, _, _ in st ->
               Array.init cfg.Blocks (fun _ ->
                   { First = conv1d he gen spec f f bk 1 (bk / 2); Second = conv1d lecun gen spec f f bk 1 (bk / 2); Gain = zeros spec [| 1L |] }) |]
    let down = [| for cin, f, _, _, _ in st -> conv1d he gen spec cin f k s q |]
    let encoder = blocks ()
    let hidden, headIn = if cfg.Hidden > 0 then [| dense he gen spec flat cfg.Hidden |], cfg.Hidden else [||], flat
    let head = dense lecun gen spec headIn (2 * cfg.Latent)
    let unhidden, projectIn = if cfg.Hidden > 0 then [| dense he gen spec cfg.Latent cfg.Hidden |], cfg.Hidden else [||], cfg.Latent
    let project = dense he gen spec projectIn flat
    let decoder = blocks ()
    let up = [| for _, f, before, l, back in st -> convT1d he gen spec f back k s q (outputPaddingFor l k s q before) |]
    let channels = Losses.outputChannels cfg.Likelihood
    let out = convT1d lecun gen spec cfg.Filters.Head channels k 1 q (outputPaddingFor cfg.Length k 1 q cfg.Length)
    { Down = down
      Encoder = encoder
      Hidden = hidden
      Head = head
      Unhidden = unhidden
      Project = project
      Decoder = decoder
      Up = up
      Out = out
      LogScale = Losses.initModelScale cfg.Likelihood spec }

/// A residual block on channels-last rows [batch; channels; 1; length].
let applyBlock (b: Block) (x: Tensor) : Tensor = relu (x + b.Gain * (x |> applyConv1dRows b.First |> relu |> applyConv1dRows b.Second))

let private applyBlocks (blocks: Block[]) (x: Tensor) : Tensor = blocks |> Array.fold (fun h b -> applyBlock b h) x

/// q(z|x) for traces [batch; length]: (mu, logvar), each [batch; latent].
let encode (p: Params) (x: Tensor) : Tensor * Tensor =
    let h = Array.fold2 (fun h down blocks -> h |> applyConv1dRows down |> relu |> applyBlocks blocks) (toRows 1L x) p.Down p.Encoder
    // Flattened in (channel, time) order, as `[batch; channels; length]` would be.
    applyHeads p.Head (applyDenseRelus p.Hidden (h.flatten (1L)))

/// Decoder output [batch; length] (trace means) or, with a noise scale, [batch; 2 x length] = concat(means,
/// log-scales): the layout of `Losses.Likelihood`.
let decode (p: Params) (z: Tensor) : Tensor =
    let rows = applyDense p.Project (applyDenseRelus p.Unhidden z) |> relu |> toRows (Array.last p.Up).W.shape.[0]
    let h = Array.foldBack2 (fun blocks up h -> h |> applyBlocks blocks |> applyConvT1dRows up |> relu) p.Decoder p.Up rows
    Losses.withModelScale p.LogScale ((applyConvT1dRows p.Out h).flatten(1L))

/// FLOPs of one training step at batch size `batch`, counted from the layer shapes (see `Flops`). The trace
/// length is the decoder's output length, which equals the encoder's input length.
let trainingFlops (p: Params) (batch: int) : int64 =
    // The decoder's lengths, last stage first: each Up's input length is the previous one's output length.
    let reduced = int (p.Project.W.shape.[0] / (Array.last p.Up).W.shape.[0])
    let blockMacs (blocks: Block[]) (length: int) =
        blocks |> Array.sumBy (fun b -> fst (Flops.conv1d b.First length) + fst (Flops.conv1d b.Second length))
    let decoderMacs, length =
        Array.foldBack2 (fun blocks up (macs, l) -> let m, l' = Flops.convT1d up l in macs + blockMacs blocks l + m, l') p.Decoder p.Up (0L, reduced)
    let out, _ = Flops.convT1d p.Out length
    let stem, l0 = Flops.conv1d p.Down.[0] length
    let encoderMacs, _ =
        Array.fold2
            (fun (macs, l) down blocks -> let m, l' = Flops.conv1d down l in macs + m + blockMacs blocks l', l')
            (blockMacs p.Encoder.[0] l0, l0)
            p.Down.[1..]
            p.Encoder.[1..]
    let dense = Array.concat [ p.Hidden; [| p.Head |]; p.Unhidden; [| p.Project |] ] |> Array.sumBy Flops.dense
    Flops.training batch Flops.ReadsData stem + Flops.training batch Flops.Inner (encoderMacs + dense + decoderMacs + out)

/// The convolutions of `init cfg` with the lengths they see, for the kernel self-check: encoder first (each stage's
/// strided convolution, then its blocks), then the decoder in the order it runs them, then the output layer.
let convolutions (cfg: Config) : KernelCheck.ConvLayer list =
    validate cfg
    let k, s, q, bk = cfg.Kernel, cfg.Stride, cfg.Kernel / 2, cfg.BlockKernel
    let rows, rowsT = KernelCheck.Conv1dRows, KernelCheck.ConvT1dRows
    let blocks side i f l =
        [ for b in 1 .. cfg.Blocks do
              for conv in [ "First"; "Second" ] -> KernelCheck.rowLayer $"{side} stage {i} block {b} {conv}" rows f f bk 1 (bk / 2) 0 l true ]
    let st = List.indexed (stages cfg)
    [ for i, (cin, f, before, l, _) in st do
          yield KernelCheck.rowLayer $"encoder Down{i}" rows cin f k s q 0 before (i > 0)
          yield! blocks "encoder" i f l
      for i, (_, f, before, l, back) in List.rev st do
          yield! blocks "decoder" i f l
          yield KernelCheck.rowLayer $"decoder Up{i}" rowsT f back k s q before l true
      yield KernelCheck.rowLayer "decoder Out" rowsT cfg.Filters.Head (Losses.outputChannels cfg.Likelihood) k 1 q cfg.Length cfg.Length true ]

/// The model as a `Vae` value.
let model (cfg: Config) : Vae<Params> =
    validate cfg
    { Encode = encode; Decode = decode; Likelihood = cfg.Likelihood; LatentDim = cfg.Latent; Convolutions = convolutions cfg }
