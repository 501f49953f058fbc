/// Layer parameter records and their pure forward functions. Integer fields (stride, padding) are static
/// structure that parameter traversals carry over unchanged.
module Vae.Model.Layers

open TorchSharp
open Vae.Model.Interop

type private F = torch.nn.functional

/// Fully connected layer: y = x W^T + b, W of shape [out; in].
type Dense = { W: Tensor; B: Tensor }

/// 1-D convolution over the last axis of [batch; channels; length]; W of shape [out; in; kernel].
type Conv1d = { W: Tensor; B: Tensor; Stride: int; Padding: int }

/// 1-D transposed convolution; W of shape [in; out; kernel]. OutputPadding fixes the output length exactly.
type ConvT1d = { W: Tensor; B: Tensor; Stride: int; Padding: int; OutputPadding: int }

/// 2-D convolution over [batch; channels; height; width]; W of shape [out; in; k; k].
type Conv2d = { W: Tensor; B: Tensor; Stride: int; Padding: int }

/// 2-D transposed convolution; W of shape [in; out; k; k].
type ConvT2d = { W: Tensor; B: Tensor; Stride: int; Padding: int; OutputPadding: int }

/// Output length of a convolution.
let convLength (input: int) (kernel: int) (stride: int) (padding: int) = (input + 2 * padding - kernel) / stride + 1

/// Output length of a transposed convolution.
let convTLength (input: int) (kernel: int) (stride: int) (padding: int) (outputPadding: int) =
    (input - 1) * stride - 2 * padding + kernel + outputPadding

/// The output padding that makes a transposed convolution produce exactly `target` samples.
let outputPaddingFor (input: int) (kernel: int) (stride: int) (padding: int) (target: int) =
    let op = target - convTLength input kernel stride padding 0
    if op < 0 || op >= max stride 1 then
        invalidArg "target" $"a transposed convolution (kernel {kernel}, stride {stride}) cannot map {input} to {target}"
    op

/// Initializes a dense layer.
let dense (scheme: Init.Scheme) gen (spec: TensorSpec) (inputs: int) (outputs: int) : Dense =
    { W = Init.weight scheme gen spec (int64 inputs) [| int64 outputs; int64 inputs |]; B = zeros spec [| int64 outputs |] }

/// Initializes a 1-D convolution.
let conv1d scheme gen spec (inCh: int) (outCh: int) (kernel: int) (stride: int) (padding: int) : Conv1d =
    { W = Init.weight scheme gen spec (int64 (inCh * kernel)) [| int64 outCh; int64 inCh; int64 kernel |]
      B = zeros spec [| int64 outCh |]
      Stride = stride
      Padding = padding }

/// Initializes a 1-D transposed convolution (fan-in = input channels x kernel).
let convT1d scheme gen spec (inCh: int) (outCh: int) (kernel: int) (stride: int) (padding: int) (outputPadding: int) =
    { ConvT1d.W = Init.weight scheme gen spec (int64 (inCh * kernel)) [| int64 inCh; int64 outCh; int64 kernel |]
      B = zeros spec [| int64 outCh |]
      Stride = stride
      Padding = padding
      OutputPadding = outputPadding }

/// Initializes a square 2-D convolution.
let conv2d scheme gen spec (inCh: int) (outCh: int) (kernel: int) (stride: int) (padding: int) : Conv2d =
    let k = int64 kernel
    { W = Init.weight scheme gen spec (int64 (inCh * kernel * kernel)) [| int64 outCh; int64 inCh; k; k |]
      B = zeros spec [| int64 outCh |]
      Stride = stride
      Padding = padding }

/// Initializes a square 2-D transposed convolution (fan-in = input channels x kernel area).
let convT2d scheme gen spec (inCh: int) (outCh: int) (kernel: int) (stride: int) (padding: int) (outputPadding: int) =
    let k = int64 kernel
    { ConvT2d.W = Init.weight scheme gen spec (int64 (inCh * kernel * kernel)) [| int64 inCh; int64 outCh; k; k |]
      B = zeros spec [| int64 outCh |]
      Stride = stride
      Padding = padding
      OutputPadding = outputPadding }

/// Applies a dense layer to [batch; in].
let applyDense (p: Dense) (x: Tensor) : Tensor = F.linear (x, p.W, p.B)

/// Dense layers in turn, each followed by a ReLU (none: `x` itself).
let applyDenseRelus (layers: Dense[]) (x: Tensor) : Tensor = layers |> Array.fold (fun h l -> relu (applyDense l h)) x

/// The same [batch; channels; height; width] values in channels-last memory order (channels innermost): the
/// layout oneDNN's convolution kernels work in, so a convolution given channels-last input and weights
/// converts no layout around its call and returns channels-last output. A tensor with one channel is
/// unchanged (both layouts are the same memory).
let channelsLast (t: Tensor) : Tensor = t.permute(0L, 2L, 3L, 1L).contiguous().permute(0L, 3L, 1L, 2L)

// oneDNN's float32 kernels that write into a single channel are wrong on AMD Zen 4 (docs/zen4-deconv.md): the
// transposed convolution from one channel to one, and a convolution's input gradient when it has one input channel.
// Those layers run as matrix products over the kernel taps (`ConvTaps`), 1.5-7 times slower but right; every other
// layer stays on oneDNN's channels-last kernels.
// `KernelCheck` verifies the choice on the processor at hand.

/// Whether a transposed convolution from `inCh` to `outCh` channels avoids oneDNN's kernels.
let transposedUsesTaps (inCh: int64) (outCh: int64) = inCh = 1L && outCh = 1L

/// Whether a convolution from `inCh` channels avoids oneDNN's kernels (its input gradient would be wrong).
let convUsesTaps (inCh: int64) (x: Tensor) = inCh = 1L && x.requires_grad

/// Applies a 2-D convolution; channels-last input gives channels-last output, the fast path (see `channelsLast`).
let applyConv2d (p: Conv2d) (x: Tensor) : Tensor =
    let s, q = int64 p.Stride, int64 p.Padding
    if convUsesTaps p.W.shape.[1] x then
        ConvTaps.conv2d x p.W p.B (s, s) (q, q)
    else
        F.conv2d (x, channelsLast p.W, p.B, strides = [| s; s |], padding = [| q; q |])

// A channels-last transposed convolution's bias is added after it, not inside: inside, oneDNN computes the bias
// gradient with a reference (scalar) loop, 17 % of the CPU time of a trace Conv-VAE step at batch 16 (perf).
// Added here, its gradient is a vectorized sum.
let private plusChannelBias (b: Tensor) (y: Tensor) : Tensor = y + b.view (1L, -1L, 1L, 1L)

/// Applies a 2-D transposed convolution; channels-last in, channels-last out (see `channelsLast`).
let applyConvT2d (p: ConvT2d) (x: Tensor) : Tensor =
    let s, q, o = int64 p.Stride, int64 p.Padding, int64 p.OutputPadding
    if transposedUsesTaps p.W.shape.[0] p.W.shape.[1] then
        ConvTaps.convTranspose2d x p.W p.B (s, s) (q, q) (o, o)
    else
        F.conv_transpose2d (x, channelsLast p.W, strides = [| s; s |], padding = [| q; q |], output_padding = [| o; o |]) |> plusChannelBias p.B

/// The 1-D convolution of rows [batch; in; 1; length]: `applyConv1d` as a 2-D convolution of height 1 in
/// channels-last layout, the same values without oneDNN's layout conversions around each call.
let applyConv1dRows (p: Conv1d) (x: Tensor) : Tensor =
    let s, q = int64 p.Stride, int64 p.Padding
    if convUsesTaps p.W.shape.[1] x then
        ConvTaps.conv2d x (p.W.unsqueeze 2L) p.B (1L, s) (0L, q)
    else
        F.conv2d (x, channelsLast (p.W.unsqueeze 2L), p.B, strides = [| 1L; s |], padding = [| 0L; q |])

/// The 1-D transposed convolution of rows [batch; in; 1; length], channels-last (see `applyConv1dRows`).
let applyConvT1dRows (p: ConvT1d) (x: Tensor) : Tensor =
    let s, q, o = int64 p.Stride, int64 p.Padding, int64 p.OutputPadding
    if transposedUsesTaps p.W.shape.[0] p.W.shape.[1] then
        ConvTaps.convTranspose2d x (p.W.unsqueeze 2L) p.B (1L, s) (0L, q) (0L, o)
    else
        F.conv_transpose2d (x, channelsLast (p.W.unsqueeze 2L), strides = [| 1L; s |], padding = [| 0L; q |], output_padding = [| 0L; o |])
        |> plusChannelBias p.B

/// Applies a 1-D convolution to [batch; channels; length]: `applyConv1dRows` on rows of height 1, so it takes
/// the same path (libtorch's plain 1-D kernels are wrong on some processors, see above).
let applyConv1d (p: Conv1d) (x: Tensor) : Tensor = (applyConv1dRows p (channelsLast (x.unsqueeze 2L))).squeeze(2L)

/// Applies a 1-D transposed convolution to [batch; channels; length], as `applyConvT1dRows` does.
let applyConvT1d (p: ConvT1d) (x: Tensor) : Tensor = (applyConvT1dRows p (channelsLast (x.unsqueeze 2L))).squeeze(2L)

/// Flat examples [batch; channels x length] (channel-major, as `flatten` gives them back) as channels-last rows
/// [batch; channels; 1; length] for the row layer functions.
let toRows (channels: int64) (x: Tensor) : Tensor = x.reshape (x.shape.[0], channels, 1L, -1L) |> channelsLast

/// The Gaussian heads of an encoder: one dense layer of width 2 x latent on the features, split into (mu, logvar).
let applyHeads (head: Dense) (h: Tensor) : Tensor * Tensor =
    let parts = (applyDense head h).chunk(2L, 1L)
    parts.[0], parts.[1]
