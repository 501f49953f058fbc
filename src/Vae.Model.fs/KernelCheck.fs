/// The kernel self-check: each convolution a model runs, computed in float32 on this processor and compared with
/// the same layer in float64 on the same inputs (libtorch's float64 convolutions are its own reference loops, not
/// oneDNN's float32 kernels): the output and the gradients of the input, the weights and the bias. A float32
/// kernel that is wrong on some processor (docs/zen4-deconv.md) fails it by errors as large as the values; rounding
/// stays below 1e-4 of them.
module Vae.Model.KernelCheck

open TorchSharp
open Vae.Model.Interop
open Vae.Model.Layers

/// Which layer function runs the convolution: 1-D rows of height 1 or 2-D planes, plain or transposed.
type ConvKind =
    | Conv1dRows
    | ConvT1dRows
    | Conv2d
    | ConvT2d

/// One convolution of a model as the check runs it: its shape and the input size it sees in the model.
type ConvLayer =
    {
        /// Where it sits in the model, e.g. "decoder Out".
        Name: string
        Kind: ConvKind
        InChannels: int
        OutChannels: int
        /// Square kernels for 2-D layers; 1-D layers have height 1.
        Kernel: int
        Stride: int
        Padding: int
        OutputPadding: int
        /// Input height (1 for rows) and width (the length for rows).
        Height: int
        Width: int
        /// Whether training differentiates with respect to the layer's input (every layer but one reading the data).
        InputGradient: bool
    }

    /// The layer in one line, e.g. "decoder Out (transposed 1-D, 32 -> 1 channels, kernel 11, stride 1)".
    override l.ToString() =
        let kind =
            match l.Kind with
            | Conv1dRows -> "1-D"
            | ConvT1dRows -> "transposed 1-D"
            | Conv2d -> "2-D"
            | ConvT2d -> "transposed 2-D"
        $"{l.Name} ({kind}, {l.InChannels} -> {l.OutChannels} channels, kernel {l.Kernel}, stride {l.Stride})"

/// A layer of `kind` named `name`: channels, square kernel, stride, padding, output padding (transposed only),
/// input height and width, and whether its input gradient is needed.
let layer name kind inChannels outChannels kernel stride padding outputPadding height width inputGradient : ConvLayer =
    { Name = name
      Kind = kind
      InChannels = inChannels
      OutChannels = outChannels
      Kernel = kernel
      Stride = stride
      Padding = padding
      OutputPadding = outputPadding
      Height = height
      Width = width
      InputGradient = inputGradient }

/// A 1-D rows layer (`Conv1dRows` or `ConvT1dRows`) of a trace model seeing `width` samples: a transposed one gets
/// the output padding that maps `width` to exactly `target` samples (a plain one ignores `target`).
let rowLayer name kind inChannels outChannels kernel stride padding target width inputGradient : ConvLayer =
    let op = if kind = ConvT1dRows then outputPaddingFor width kernel stride padding target else 0
    layer name kind inChannels outChannels kernel stride padding op 1 width inputGradient

/// The largest float32 error of each quantity relative to the largest float64 value of it, over the trials.
type Verdict =
    { Layer: ConvLayer
      Output: float
      InputGradient: float
      WeightGradient: float
      BiasGradient: float }

    /// The worst of the four errors.
    member v.Worst =
        let all = [ v.Output; v.InputGradient; v.WeightGradient; v.BiasGradient ]
        if List.exists System.Double.IsNaN all then nan else List.max all

/// The largest relative error a right float32 kernel may show. Wrong kernels measured so far err by 0.1-1.
let tolerance = 1e-3

/// Whether every error is within `tolerance` (a NaN error is not).
let passed (v: Verdict) = v.Worst <= tolerance

/// Trials per layer, each on fresh data: the wrong kernels found so far are wrong only in some calls on 2 threads.
let trials = 3

let private rows (l: ConvLayer) = l.Kind = Conv1dRows || l.Kind = ConvT1dRows

let private transposed (l: ConvLayer) = l.Kind = ConvT1dRows || l.Kind = ConvT2d

/// The model layer's function for the layer, applied to weights, bias and channels-last input.
let apply (l: ConvLayer) (w: Tensor) (b: Tensor) (x: Tensor) : Tensor =
    match l.Kind with
    | Conv1dRows -> applyConv1dRows { Conv1d.W = w; B = b; Stride = l.Stride; Padding = l.Padding } x
    | ConvT1dRows -> applyConvT1dRows { ConvT1d.W = w; B = b; Stride = l.Stride; Padding = l.Padding; OutputPadding = l.OutputPadding } x
    | Conv2d -> applyConv2d { Conv2d.W = w; B = b; Stride = l.Stride; Padding = l.Padding } x
    | ConvT2d -> applyConvT2d { ConvT2d.W = w; B = b; Stride = l.Stride; Padding = l.Padding; OutputPadding = l.OutputPadding } x

/// Output and gradients (input, weights, bias) of the layer at `dtype`, from float64 draws, back-propagating
/// `upstream` as the output's gradient.
let private run
    (apply: ConvLayer -> Tensor -> Tensor -> Tensor -> Tensor)
    (l: ConvLayer)
    (dtype: torch.ScalarType)
    (x64: Tensor)
    (w64: Tensor)
    (b64: Tensor)
    (upstream: Tensor)
    =
    let leaf (t: Tensor) (grad: bool) = t.to_type(dtype).detach().requires_grad_(grad)
    let x = leaf (channelsLast x64) l.InputGradient
    let w, b = leaf w64 true, leaf b64 true
    let y = apply l w b x
    (y * upstream.to_type (dtype)).sum().backward()
    let as64 (t: Tensor) = if isNull t then torch.zeros (1L, dtype = torch.ScalarType.Float64) else t.detach().to_type(torch.ScalarType.Float64)
    [ as64 y; (if l.InputGradient then as64 x.grad else as64 null); as64 w.grad; as64 b.grad ]

let private relativeError (actual: Tensor) (truth: Tensor) =
    let scale = truth.abs().max().item<float>()
    (actual - truth).abs().max().item<float>() / (if scale > 0.0 then scale else 1.0)

/// Checks `apply` (a layer function as `apply` above: weights, bias, channels-last input) for the layer `l` on
/// `trials` fresh draws (seeded, so a verdict repeats on the same processor).
let checkFunction (apply: ConvLayer -> Tensor -> Tensor -> Tensor -> Tensor) (l: ConvLayer) : Verdict =
    use scope = torch.NewDisposeScope()
    let gen = generator 20_241_205UL
    let spec = TensorSpec.Float64
    let kh = if rows l then 1 else l.Kernel
    let weightShape =
        let outer, inner = if transposed l then l.InChannels, l.OutChannels else l.OutChannels, l.InChannels
        if rows l then [| int64 outer; int64 inner; int64 l.Kernel |] else [| int64 outer; int64 inner; int64 kh; int64 l.Kernel |]
    let errors =
        [ for _ in 1..trials ->
              let x = randn gen spec [| 2L; int64 l.InChannels; int64 l.Height; int64 l.Width |]
              let w, b = randn gen spec weightShape, randn gen spec [| int64 l.OutChannels |]
              let shape = (use _ = torch.no_grad () in apply l w b (channelsLast x)).shape
              let upstream = randn gen spec shape
              let truth = run apply l torch.ScalarType.Float64 x w b upstream
              let single = run apply l torch.ScalarType.Float32 x w b upstream
              List.map2 relativeError single truth ]
    let worst i = errors |> List.map (fun e -> e.[i]) |> List.reduce (fun a b -> if System.Double.IsNaN a || a > b then a else b)
    { Layer = l; Output = worst 0; InputGradient = worst 1; WeightGradient = worst 2; BiasGradient = worst 3 }

/// Checks the model layer's own function for `l` (see `checkFunction`).
let check (l: ConvLayer) : Verdict = checkFunction apply l

/// The verdicts of every layer, in order.
let checkAll (layers: ConvLayer list) : Verdict list = List.map check layers

/// The shapes a user's small configuration can give every layer function: 1 to 32 channels on either side, strides
/// 1 and 2, 1-D rows and 2-D planes, plain and transposed, input gradients on.
let smallShapes: ConvLayer list =
    let layer kind cin cout kernel stride padding op height width = layer "small" kind cin cout kernel stride padding op height width true
    [ for cin, cout in [ 1, 1; 1, 4; 4, 1; 2, 3; 8, 1; 32, 1; 16, 16 ] do
          for stride in [ 1; 2 ] do
              let op = if stride = 2 then 1 else 0
              yield layer Conv1dRows cin cout 5 stride 2 0 1 50
              yield layer ConvT1dRows cin cout 5 stride 2 op 1 50
              yield layer Conv2d cin cout 3 stride 1 0 12 12
              yield layer ConvT2d cin cout 3 stride 1 op 12 12 ]

/// libtorch's own kernels that the layer functions route around, checked the same way, so that `info` shows what
/// the routing avoids on this processor: the plain [batch; channels; length] transposed convolution from 4
/// channels to 1 at stride 1, and the channels-last one from 1 channel to 1.
let avoidedKernels () : (string * Verdict) list =
    let shape cin cout = layer "libtorch" ConvT1dRows cin cout 5 1 2 0 1 50 true
    let plain (_: ConvLayer) (w: Tensor) (b: Tensor) (x: Tensor) =
        torch.nn.functional.conv_transpose1d(x.squeeze(2L).contiguous(), w, b, padding = 2L).unsqueeze(2L)
    let rows (_: ConvLayer) (w: Tensor) (b: Tensor) (x: Tensor) =
        torch.nn.functional.conv_transpose2d (x, channelsLast (w.unsqueeze 2L), b, padding = [| 0L; 2L |])
    [ "conv_transpose1d, 4 -> 1 channels, stride 1", checkFunction plain (shape 4 1)
      "channels-last conv_transpose2d, 1 -> 1 channel, stride 1", checkFunction rows (shape 1 1) ]
