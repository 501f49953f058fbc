module Vae.Model.Tests.TestConvVae1d

open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let private small =
    { ConvVae1d.defaultConfig with
        Length = 100
        Filters1 = 4
        Filters2 = 6
        Kernel1 = 5
        Stride1 = 2
        Kernel2 = 5
        Stride2 = 2
        Hidden = 16
        Latent = 3 }

// One channel throughout and stride 1: the shapes whose float32 oneDNN kernels are wrong on AMD Zen 4.
let private tiny = { small with Filters1 = 1; Filters2 = 1; Stride1 = 1; Stride2 = 1; Kernel2 = 3 }

[<Fact>]
let ``a small trace Conv-VAE has the hand-computed parameter count and exact output length`` () =
    ensureTorch ()
    // lengths 100 -> 50 -> 25, flat 6*25 = 150. conv 4*5+4, conv 6*4*5+6, dense 150*16+16, head 16*6+6,
    // dense 3*16+16, project 16*150+150, convT 6*6*5+6, convT 6*4*5+4, convT 4*5+1
    let p = ConvVae1d.init small TensorSpec.Float64 (generator 1UL)
    Assert.Equal((50, 25), ConvVae1d.lengths small)
    Assert.Equal(24L + 126L + 2_416L + 102L + 64L + 2_550L + 186L + 124L + 21L, Params.count p)
    ModelChecks.shapes (ConvVae1d.model small) p 100 TensorSpec.Float64

[<Fact>]
let ``the default and reference trace Conv-VAEs map 5000 samples back to 5000`` () =
    ensureTorch ()
    for cfg in [ ConvVae1d.defaultConfig; ConvVae1d.referenceConfig ] do
        let p = ConvVae1d.init cfg TensorSpec.Float32 (generator 1UL)
        ModelChecks.shapes (ConvVae1d.model cfg) p 5000 TensorSpec.Float32
    // Reference: 5000 -> 2500 -> 1250, heads on 64*1250 features. conv 32*3+32, conv 64*32*3+64,
    // head 80000*4+4, project 2*80000+80000, convT 64*64*3+64, convT 64*32*3+32, convT 32*3+1
    let r = ConvVae1d.init ConvVae1d.referenceConfig TensorSpec.Float32 (generator 1UL)
    Assert.Equal(128L + 6_208L + 320_004L + 240_000L + 12_352L + 6_176L + 97L, Params.count r)

[<Fact>]
let ``convolutions run along time within each trace, never across the batch`` () =
    ensureTorch ()
    ModelChecks.examplesIndependent (ConvVae1d.model small) (ConvVae1d.init small TensorSpec.Float64 (generator 3UL)) 100
    ModelChecks.determinism (ConvVae1d.init small TensorSpec.Float64)

[<Fact>]
let ``a time shift of the input changes the first convolution's output by the same shift`` () =
    ensureTorch ()
    // Translation equivariance along time (stride 2, shift by 2 samples) is what convolving over time means.
    let p = ConvVae1d.init small TensorSpec.Float64 (generator 5UL)
    let x = randn (generator 6UL) TensorSpec.Float64 [| 1L; 100L |]
    let shifted = TorchSharp.torch.roll (x, 2L, 1L)
    let h (t: Tensor) = Layers.applyConv1d p.Conv1 (t.unsqueeze (1L))
    // Away from the borders the outputs agree after shifting by one output position.
    assertClose 1e-12 1e-12 (toArray ((h x).narrow(2L, 5L, 40L))) (toArray ((h shifted).narrow(2L, 6L, 40L)))

[<Fact>]
let ``the default trace Conv-VAE has the hand-computed parameter count`` () =
    ensureTorch ()
    // 5000 -> 1000 -> 200, flat 64*200 = 12800. conv 32*11+32, conv 64*32*11+64, dense 12800*256+256,
    // head 256*4+4, dense 2*256+256, project 256*12800+12800, convT 64*64*11+64, convT 64*32*11+32, convT 32*11+1
    let p = ConvVae1d.init ConvVae1d.defaultConfig TensorSpec.Float32 (generator 1UL)
    Assert.Equal((1000, 200), ConvVae1d.lengths ConvVae1d.defaultConfig)
    Assert.Equal(384L + 22_592L + 3_277_056L + 1_028L + 768L + 3_289_600L + 45_120L + 22_560L + 353L, Params.count p)

[<Fact>]
let ``builders change only the field they name`` () =
    let cfg = ConvVae1d.defaultConfig |> ConvVae1d.withLength 400 |> ConvVae1d.withLatent 5 |> ConvVae1d.withLikelihood Losses.Bernoulli
    Assert.Equal({ ConvVae1d.defaultConfig with Length = 400; Latent = 5; Likelihood = Losses.Bernoulli }, cfg)

// The trace Conv-VAE as it was first written: Conv1d and ConvTranspose1d over [batch; channels; length],
// in libtorch's default layout. The model now runs them as channels-last 2-D rows; it must stay this function.
let private plainEncode (p: ConvVae1d.Params) (x: Tensor) =
    let relu = Interop.relu
    let h = x.unsqueeze (1L) |> Layers.applyConv1d p.Conv1 |> relu |> Layers.applyConv1d p.Conv2 |> relu
    let h = p.Hidden |> Array.fold (fun h l -> relu (Layers.applyDense l h)) (h.flatten (1L))
    let parts = (Layers.applyDense p.Head h).chunk(2L, 1L)
    parts.[0], parts.[1]

let private plainDecode (p: ConvVae1d.Params) (z: Tensor) =
    let relu = Interop.relu
    let h = p.Unhidden |> Array.fold (fun h l -> relu (Layers.applyDense l h)) z
    let h = (Layers.applyDense p.Project h |> relu).reshape(-1L, p.Up1.W.shape.[0], int64 p.Reduced)
    (h |> Layers.applyConvT1d p.Up1 |> relu |> Layers.applyConvT1d p.Up2 |> relu |> Layers.applyConvT1d p.Out).squeeze(1L)

[<Fact>]
let ``the channels-last trace Conv-VAE is the plain Conv1d model: outputs and gradients`` () =
    ensureTorch ()
    for cfg in [ ConvVae1d.defaultConfig; small ] do
        let vae = ConvVae1d.model cfg
        let plain = { vae with Encode = plainEncode; Decode = plainDecode }
        // float64 isolates the formulation from float32 rounding (whose summation order differs between
        // kernels, and even between calls of the same kernel, by about 1e-4 of the largest gradient).
        ModelChecks.sameFunction 1e-10 vae plain (ConvVae1d.init cfg TensorSpec.Float64 (generator 4UL)) cfg.Length TensorSpec.Float64
    // In float32, the training dtype, outputs and gradients agree with float64 truth to 1e-5 of their largest values
    // (a float32 kernel wrong on some processor errs by about its outputs' size).
    for cfg in [ ConvVae1d.defaultConfig; small; tiny ] do
        ModelChecks.matchesFloat64 1e-5 (ConvVae1d.model cfg) (ConvVae1d.init cfg TensorSpec.Float32 (generator 4UL)) cfg.Length

[<Fact>]
let ``the kernel self-check lists every convolution of the trace Conv-VAE with the shapes init gives it`` () =
    ensureTorch ()
    for cfg in [ ConvVae1d.defaultConfig; small; tiny ] do
        let p = ConvVae1d.init cfg TensorSpec.Float32 (generator 1UL)
        let layers = (ConvVae1d.model cfg).Convolutions
        let weights = [ p.Conv1.W; p.Conv2.W; p.Up1.W; p.Up2.W; p.Out.W ]
        let strides = [ p.Conv1.Stride; p.Conv2.Stride; p.Up1.Stride; p.Up2.Stride; p.Out.Stride ]
        let paddings = [ p.Conv1.Padding; p.Conv2.Padding; p.Up1.Padding; p.Up2.Padding; p.Out.Padding ]
        Assert.Equal<int list>([ 0; 0; p.Up1.OutputPadding; p.Up2.OutputPadding; p.Out.OutputPadding ], layers |> List.map (fun l -> l.OutputPadding))
        Assert.Equal<int list>(strides, layers |> List.map (fun l -> l.Stride))
        Assert.Equal<int list>(paddings, layers |> List.map (fun l -> l.Padding))
        for l, w in List.zip layers weights do
            let transposed = l.Kind = KernelCheck.ConvT1dRows
            let cin, cout = (if transposed then w.shape.[0], w.shape.[1] else w.shape.[1], w.shape.[0])
            Assert.Equal((int64 l.InChannels, int64 l.OutChannels, int64 l.Kernel), (cin, cout, w.shape.[2]))
        let l1, l2 = ConvVae1d.lengths cfg
        Assert.Equal<int list>([ cfg.Length; l1; l2; l1; cfg.Length ], layers |> List.map (fun l -> l.Width))
