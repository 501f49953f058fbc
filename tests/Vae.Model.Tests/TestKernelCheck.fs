module Vae.Model.Tests.TestKernelCheck

open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

// Every shape class the product's layers route: oneDNN's channels-last kernels, and the matrix products over the
// kernel taps for one channel in and out (transposed) or one input channel with an input gradient.
let private layer kind cin cout kernel stride padding op height width =
    KernelCheck.layer $"{kind} {cin}->{cout}" kind cin cout kernel stride padding op height width true

[<Fact>]
let ``every layer function is right in float32 on this processor, forward and backward`` () =
    ensureTorch ()
    let models = [ ConvVae1d.convolutions ConvVae1d.defaultConfig; ConvVae2d.convolutions ConvVae2d.defaultConfig ] |> List.concat
    for v in KernelCheck.checkAll (models @ KernelCheck.smallShapes) do
        Assert.True(
            KernelCheck.passed v,
            $"{v.Layer}: output {v.Output:g2}, input gradient {v.InputGradient:g2}, "
            + $"weight gradient {v.WeightGradient:g2}, bias gradient {v.BiasGradient:g2}"
        )

[<Fact>]
let ``the check fails a kernel whose float32 result is off by 1e-2 of its values, and one that gives NaN`` () =
    ensureTorch ()
    let l = layer KernelCheck.ConvT1dRows 4 2 5 1 2 0 1 50
    let offIn32 (scale: float) (l: KernelCheck.ConvLayer) w b x =
        let y = KernelCheck.apply l w b x
        if y.dtype = TorchSharp.torch.ScalarType.Float32 then y * (1.0 + scale) else y
    Assert.True(KernelCheck.passed (KernelCheck.checkFunction (offIn32 0.0) l))
    let wrong = KernelCheck.checkFunction (offIn32 1e-2) l
    Assert.False(KernelCheck.passed wrong)
    Assert.InRange(wrong.Output, 0.9e-2, 1.1e-2)
    let nan (l: KernelCheck.ConvLayer) w b x =
        let y = KernelCheck.apply l w b x
        if y.dtype = TorchSharp.torch.ScalarType.Float32 then y / y.detach().sum() * nan else y
    Assert.False(KernelCheck.passed (KernelCheck.checkFunction nan l))

[<Fact>]
let ``a verdict names the layer and its shape`` () =
    let out = (ConvVae1d.convolutions ConvVae1d.defaultConfig) |> List.last
    Assert.Equal("decoder Out (transposed 1-D, 32 -> 1 channels, kernel 11, stride 1)", string out)
