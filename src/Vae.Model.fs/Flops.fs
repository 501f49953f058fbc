/// Floating-point work of a training step counted from the layer shapes: the multiply-adds of every dense and
/// convolutional layer, forward and backward. Element-wise work (activations, losses, the optimizer) is not
/// counted: it is a few operations per value against hundreds per value in the matrix products.
module Vae.Model.Flops

open Vae.Model.Layers

/// Multiply-adds of a dense layer per example: inputs x outputs.
let dense (l: Dense) : int64 = l.W.shape.[0] * l.W.shape.[1]

/// Multiply-adds per example of a 1-D convolution over `length` samples (every output sample takes
/// in x kernel products per output channel), and the output length.
let conv1d (l: Conv1d) (length: int) : int64 * int =
    let out = convLength length (int l.W.shape.[2]) l.Stride l.Padding
    l.W.numel () * int64 out, out

/// Multiply-adds per example of a 1-D transposed convolution of `length` input samples (every input sample
/// scatters out x kernel products per input channel), and the output length.
let convT1d (l: ConvT1d) (length: int) : int64 * int =
    let out = convTLength length (int l.W.shape.[2]) l.Stride l.Padding l.OutputPadding
    l.W.numel () * int64 length, out

/// Multiply-adds per example of a square 2-D convolution of a `side` x `side` input, and the output side.
let conv2d (l: Conv2d) (side: int) : int64 * int =
    let out = convLength side (int l.W.shape.[2]) l.Stride l.Padding
    l.W.numel () * int64 out * int64 out, out

/// Multiply-adds per example of a square 2-D transposed convolution of a `side` x `side` input, and the output side.
let convT2d (l: ConvT2d) (side: int) : int64 * int =
    let out = convTLength side (int l.W.shape.[2]) l.Stride l.Padding l.OutputPadding
    l.W.numel () * int64 side * int64 side, out

/// How a layer takes part in the backward pass.
type Role =
    /// The first layer: it reads the data, whose gradient nobody needs; backward computes the weight gradient only.
    | ReadsData
    /// Any later layer: backward computes the weight gradient and the gradient of its input.
    | Inner

/// FLOPs of one training step of a layer with `macs` multiply-adds per example, at batch size `batch`:
/// 2 x macs forward (a multiply and an add), 2 x macs for the weight gradient and, for inner layers,
/// 2 x macs for the input gradient; so 6 x macs x batch for inner layers and 4 x for the first.
let training (batch: int) (role: Role) (macs: int64) : int64 =
    let passes =
        match role with
        | ReadsData -> 4L
        | Inner -> 6L
    passes * macs * int64 batch
