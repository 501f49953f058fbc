module Vae.Model.Tests.TestConvVae2d

open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

[<Fact>]
let ``Conv-VAE 28x28 has the hand-computed parameter count and shapes`` () =
    ensureTorch ()
    let p = ConvVae2d.init ConvVae2d.defaultConfig TensorSpec.Float32 (generator 1UL)
    // conv 32*9+32, conv 64*32*9+64, dense 3136*256+256, head 256*40+40, project 20*3136+3136,
    // convT 64*64*9+64, convT 64*32*9+32, convT 32*9+1
    Assert.Equal(320L + 18_496L + 803_072L + 10_280L + 65_856L + 36_928L + 18_464L + 289L, Params.count p)
    ModelChecks.shapes (ConvVae2d.model ConvVae2d.defaultConfig) p 784 TensorSpec.Float32

[<Fact>]
let ``Conv-VAE 28x28 is deterministic for a seed and encodes examples independently`` () =
    ensureTorch ()
    let cfg = { ConvVae2d.defaultConfig with Side = 8; Filters1 = 3; Filters2 = 4; Hidden = 6; Latent = 2 }
    ModelChecks.determinism (ConvVae2d.init cfg TensorSpec.Float64)
    ModelChecks.examplesIndependent (ConvVae2d.model cfg) (ConvVae2d.init cfg TensorSpec.Float64 (generator 3UL)) 64
    Assert.Throws<System.ArgumentException>(fun () -> ConvVae2d.model { cfg with Side = 10 } |> ignore) |> ignore

[<Fact>]
let ``builders change only the field they name`` () =
    let cfg = ConvVae2d.defaultConfig |> ConvVae2d.withSide 32 |> ConvVae2d.withLatent 3 |> ConvVae2d.withLikelihood Losses.SquaredError
    Assert.Equal({ ConvVae2d.defaultConfig with Side = 32; Latent = 3; Likelihood = Losses.SquaredError }, cfg)

// The image Conv-VAE as it was first written: convolutions in libtorch's default (channels-first) layout.
let private plainEncode (p: ConvVae2d.Params) (x: Tensor) =
    let relu = Interop.relu
    let conv (l: Layers.Conv2d) (t: Tensor) =
        TorchSharp.torch.nn.functional.conv2d (
            t,
            l.W,
            l.B,
            strides = [| int64 l.Stride; int64 l.Stride |],
            padding = [| int64 l.Padding; int64 l.Padding |]
        )
    let img = x.reshape (-1L, 1L, int64 p.Side, int64 p.Side)
    let h = img |> conv p.Conv1 |> relu |> conv p.Conv2 |> relu
    let h = h.flatten (1L) |> Layers.applyDense p.Hidden |> relu
    let parts = (Layers.applyDense p.Head h).chunk(2L, 1L)
    parts.[0], parts.[1]

let private plainDecode (p: ConvVae2d.Params) (z: Tensor) =
    let relu = Interop.relu
    let convT (l: Layers.ConvT2d) (t: Tensor) =
        let s, q, o = int64 l.Stride, int64 l.Padding, int64 l.OutputPadding
        TorchSharp.torch.nn.functional.conv_transpose2d (t, l.W, l.B, strides = [| s; s |], padding = [| q; q |], output_padding = [| o; o |])
    let q = int64 (p.Side / 4)
    let h = (Layers.applyDense p.Project z |> relu).reshape(-1L, p.Up1.W.shape.[0], q, q)
    (h |> convT p.Up1 |> relu |> convT p.Up2 |> relu |> convT p.Out).flatten(1L)

[<Fact>]
let ``the channels-last image Conv-VAE is the plain model: outputs and gradients`` () =
    ensureTorch ()
    let cfg = ConvVae2d.defaultConfig
    let vae = ConvVae2d.model cfg
    let plain = { vae with Encode = plainEncode; Decode = plainDecode }
    ModelChecks.sameFunction 1e-10 vae plain (ConvVae2d.init cfg TensorSpec.Float64 (generator 4UL)) 784 TensorSpec.Float64
    // float32 against float64 truth, also with one channel per layer (the Zen 4 case, see TestConvVae1d).
    for c in [ cfg; { cfg with Filters1 = 1; Filters2 = 1 } ] do
        ModelChecks.matchesFloat64 1e-5 (ConvVae2d.model c) (ConvVae2d.init c TensorSpec.Float32 (generator 4UL)) 784
