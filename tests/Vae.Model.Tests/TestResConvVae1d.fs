module Vae.Model.Tests.TestResConvVae1d

open System.IO
open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let private small =
    { ResConvVae1d.defaultConfig with Length = 37; Filters = [ 3; 4 ]; Kernel = 5; Stride = 2; BlockKernel = 3; Blocks = 1; Hidden = 6; Latent = 2 }

// One channel throughout, three stages and two blocks: the shapes whose float32 oneDNN kernels are wrong on AMD Zen 4
// (one channel in and out), more than one stage, and blocks chained.
let private tiny = { small with Filters = [ 1; 1; 1 ]; Blocks = 2; Hidden = 0 }

[<Fact>]
let ``a small residual trace VAE has the hand-computed parameter count and lengths`` () =
    ensureTorch ()
    // 37 -> 19 -> 10, flat 4*10 = 40. Down 1->3 k5 (15+3), 3->4 k5 (60+4); blocks 3->3 k3 twice (27+3 each) and a
    // gain (1), 4->4 k3 twice (48+4 each) and a gain, in encoder and decoder; dense 40*6+6, head 6*4+4, dense 2*6+6, project 6*40+40;
    // Up 3->3 k5 (45+3), 4->3 k5 (60+3); Out 3->1 k5 (15+1).
    let p = ResConvVae1d.init small TensorSpec.Float64 (generator 1UL)
    Assert.Equal<int list>([ 19; 10 ], ResConvVae1d.lengths small)
    let blocks = 2L * (30L + 30L + 1L + 52L + 52L + 1L)
    Assert.Equal(18L + 64L + blocks + 246L + 28L + 18L + 280L + 48L + 63L + 16L, Params.count p)

[<Fact>]
let ``a fresh residual block is the identity on nonnegative features`` () =
    ensureTorch ()
    let p = ResConvVae1d.init small TensorSpec.Float64 (generator 1UL)
    let x = Layers.channelsLast (Interop.relu (randn (generator 2UL) TensorSpec.Float64 [| 2L; 3L; 1L; 19L |]))
    Assert.True(sameValues x (ResConvVae1d.applyBlock p.Encoder.[0].[0] x))
    Assert.True(p.Decoder.[1].[0].Gain.eq(scalar 0.0).all().item<bool>())

[<Fact>]
let ``odd and even lengths map back to exactly the input length, for every likelihood layout`` () =
    ensureTorch ()
    for length in [ 5000; 4999; 37 ] do
        let cfg = ResConvVae1d.withLength length ResConvVae1d.defaultConfig
        let p = ResConvVae1d.init cfg TensorSpec.Float32 (generator 1UL)
        ModelChecks.shapes (ResConvVae1d.model cfg) p length TensorSpec.Float32
        // Round trip: the codes of a batch decode to a batch of traces of the input's length.
        let x = TorchSharp.torch.rand ([| 2L; int64 length |], generator = generator 2UL)
        let mu, _ = ResConvVae1d.encode p x
        Assert.Equal<int64[]>(x.shape, (Inference.mean (ResConvVae1d.model cfg) (ResConvVae1d.decode p mu)).shape)
    for lik in [ Losses.Gaussian Losses.PerModel; Losses.Gaussian(Losses.PerSample 0.01); Losses.Laplace Losses.PerModel; Losses.Bernoulli ] do
        let cfg = ResConvVae1d.withLikelihood lik small
        let p = ResConvVae1d.init cfg TensorSpec.Float64 (generator 1UL)
        let width = Losses.decoderWidth lik small.Length
        Assert.Equal<int64[]>([| 3L; int64 width |], (ResConvVae1d.decode p (zeros TensorSpec.Float64 [| 3L; 2L |])).shape)
        let extra = Params.count p - Params.count (ResConvVae1d.init small TensorSpec.Float64 (generator 1UL))
        // A per-model scale is one parameter; a per-sample one a second output channel (Out: kernel 5 + bias).
        let expected =
            match lik with
            | Losses.Gaussian Losses.PerModel
            | Losses.Laplace Losses.PerModel -> 1L
            | Losses.Gaussian(Losses.PerSample _) -> 3L * 5L + 1L
            | _ -> 0L
        Assert.Equal(expected, extra)

[<Fact>]
let ``convolutions run along time within each trace, and float32 matches float64`` () =
    ensureTorch ()
    ModelChecks.examplesIndependent (ResConvVae1d.model small) (ResConvVae1d.init small TensorSpec.Float64 (generator 3UL)) small.Length
    ModelChecks.determinism (ResConvVae1d.init small TensorSpec.Float64)
    for cfg in [ small; tiny; ResConvVae1d.withLength 400 ResConvVae1d.defaultConfig ] do
        ModelChecks.matchesFloat64 1e-5 (ResConvVae1d.model cfg) (ResConvVae1d.init cfg TensorSpec.Float32 (generator 4UL)) cfg.Length

/// Central finite differences (h = 1e-6) of the negative ELBO with fixed noise, against autodiff; float64.
[<Property(MaxTest = 2)>]
let ``residual trace VAE gradients agree with finite differences`` () =
    ensureTorch ()
    Prop.forAll (Gen.choose (0, 100_000) |> Gen.map uint64 |> Arb.fromGen) (fun seed ->
        let cfg = { small with Length = 12; Filters = [ 2; 2 ]; Kernel = 3; Hidden = 3 }
        // Random nonzero biases keep units off the ReLU kink, where finite differences and the subgradient differ.
        let noise = generator (seed + 7UL)
        let p =
            ResConvVae1d.init cfg TensorSpec.Float64 (generator seed)
            |> Params.map (fun t -> t + TorchSharp.torch.randn (t.shape, dtype = t.dtype, generator = noise) * 0.1)
        let x = TorchSharp.torch.rand ([| 2L; 12L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator (seed + 1UL))
        let vae = ResConvVae1d.model cfg
        let loss q = toScalar (Training.lossTerms vae 0.7 (generator seed) q x).Loss
        let _, grads = Grad.valueAndGrad (fun q -> (Training.lossTerms vae 0.7 (generator seed) q x).Loss) p
        let leaves = Params.flatten p |> Array.map (fun t -> t.clone ())
        let h = 1e-6
        let numeric =
            [| for leaf in leaves do
                   let flat = leaf.view (-1L)
                   for j in 0L .. flat.shape.[0] - 1L do
                       let x0 = toScalar flat.[j]
                       let at (v: float) =
                           flat.[j] <- TorchSharp.torch.tensor (v, dtype = TorchSharp.torch.ScalarType.Float64)
                           loss (Params.unflatten p leaves)
                       let d = (at (x0 + h) - at (x0 - h)) / (2.0 * h)
                       flat.[j] <- TorchSharp.torch.tensor (x0, dtype = TorchSharp.torch.ScalarType.Float64)
                       yield d |]
        assertClose 1e-6 1e-5 numeric (Params.flatten grads |> Array.collect toArray)
        true)

// The weights of the convolutions in the order `convolutions` lists them (encoder, decoder as it runs, output).
let private convWeights (p: ResConvVae1d.Params) : (Tensor * int * int * int) list =
    let blocks (bs: ResConvVae1d.Block[]) =
        [ for b in bs do
              for c in [ b.First; b.Second ] -> c.W, c.Stride, c.Padding, 0 ]
    [ for i in 0 .. p.Down.Length - 1 do
          yield p.Down.[i].W, p.Down.[i].Stride, p.Down.[i].Padding, 0
          yield! blocks p.Encoder.[i]
      for i in p.Up.Length - 1 .. -1 .. 0 do
          yield! blocks p.Decoder.[i]
          yield p.Up.[i].W, p.Up.[i].Stride, p.Up.[i].Padding, p.Up.[i].OutputPadding
      yield p.Out.W, p.Out.Stride, p.Out.Padding, p.Out.OutputPadding ]

[<Fact>]
let ``the kernel self-check lists every convolution run, with the widths it sees`` () =
    ensureTorch ()
    for cfg in [ ResConvVae1d.defaultConfig; small; tiny; ResConvVae1d.withLength 4999 ResConvVae1d.defaultConfig ] do
        let p = ResConvVae1d.init cfg TensorSpec.Float32 (generator 1UL)
        let layers = ResConvVae1d.convolutions cfg
        let stages, n = cfg.Filters.Length, cfg.Blocks
        Assert.Equal(2 * stages * (1 + 2 * n) + 1, layers.Length)
        let weights = convWeights p
        Assert.Equal(weights.Length, layers.Length)
        for l, (w, stride, padding, op) in List.zip layers weights do
            let transposed = l.Kind = KernelCheck.ConvT1dRows
            let cin, cout = (if transposed then w.shape.[0], w.shape.[1] else w.shape.[1], w.shape.[0])
            Assert.Equal((int64 l.InChannels, int64 l.OutChannels, int64 l.Kernel), (cin, cout, w.shape.[2]))
            Assert.Equal((stride, padding, op), (l.Stride, l.Padding, l.OutputPadding))
        // Widths: each stage's strided convolution sees the length before it, its blocks the stage's length; the
        // decoder the same lengths in reverse; the output layer the input length.
        let ls = ResConvVae1d.lengths cfg
        let before = cfg.Length :: ls |> List.take stages
        let stageWidths i = List.replicate (2 * n) ls.[i]
        let expected =
            [ for i in 0 .. stages - 1 do
                  yield before.[i]
                  yield! stageWidths i
              for i in stages - 1 .. -1 .. 0 do
                  yield! stageWidths i
                  yield ls.[i]
              yield cfg.Length ]
        Assert.Equal<int list>(expected, layers |> List.map (fun l -> l.Width))
        Assert.Equal<bool list>(false :: List.replicate (layers.Length - 1) true, layers |> List.map (fun l -> l.InputGradient))
    // On this processor every layer of the default and the one-channel configs is right in float32.
    for v in KernelCheck.checkAll (ResConvVae1d.convolutions ResConvVae1d.defaultConfig @ ResConvVae1d.convolutions tiny) do
        Assert.True(KernelCheck.passed v, $"{v.Layer}: worst error {v.Worst:g2}")

[<Fact>]
let ``training FLOPs follow the hand count of a small config`` () =
    ensureTorch ()
    let p = ResConvVae1d.init small TensorSpec.Float32 (generator 1UL)
    // Per example: Down0 3*1*5 x 19 out; blocks at 19 samples, 2 convs of 3*3*3; Down1 4*3*5 x 10; blocks at 10,
    // 2 convs of 4*4*3; dense 40*6 + 6*4 + 2*6 + 6*40; decoder blocks the same; Up1 4*3*5 x 10 in, Up0 3*3*5 x 19 in;
    // Out 3*1*5 x 37 in.
    let stem = 15L * 19L
    let encoder = 2L * 27L * 19L + 60L * 10L + 2L * 48L * 10L
    let dense = 240L + 24L + 12L + 240L
    let decoder = 2L * 48L * 10L + 60L * 10L + 2L * 27L * 19L + 45L * 19L
    let out = 15L * 37L
    let batch = 3
    Assert.Equal(int64 batch * (4L * stem + 6L * (encoder + dense + decoder + out)), ResConvVae1d.trainingFlops p batch)
    let flops = ResConvVae1d.trainingFlops (ResConvVae1d.init ResConvVae1d.defaultConfig TensorSpec.Float32 (generator 1UL)) 64
    Assert.True(flops > 0L)

[<Fact>]
let ``parameters and optimizer state round-trip through a checkpoint, and the handle loads them`` () =
    ensureTorch ()
    let vae = ResConvVae1d.model small
    let trainer = Training.studyTrainer vae 1.0 10L
    let p0 = ResConvVae1d.init small TensorSpec.Float32 (generator 1UL)
    let batch = TorchSharp.torch.rand ([| 4L; 37L |], generator = generator 2UL)
    let p, s, _ = Training.step trainer p0 (Optim.init trainer.Optimizer p0) batch (generator 3UL) 0L
    let path = Path.Combine(Path.GetTempPath(), $"resconv-{System.Guid.NewGuid():N}.safetensors")
    try
        Checkpoint.save path p s 1L
        let fresh = ResConvVae1d.init small TensorSpec.Float32 (generator 99UL)
        let p', s', step = Checkpoint.load path TorchSharp.torch.CPU fresh (Optim.init trainer.Optimizer fresh)
        Assert.Equal(1L, step)
        Assert.True(Array.forall2 sameValues (Params.flatten p) (Params.flatten p'))
        Assert.True(Array.forall2 (fun (_, a) (_, b) -> sameValues a b) (Optim.namedTensors s) (Optim.namedTensors s'))
        Assert.Contains("Encoder.1.0.Second.W", Params.paths p)
        let model = VaeModel.ResConv1d small
        Assert.True(Array.forall2 sameValues (Params.flatten p) (model.Load(path, TorchSharp.torch.CPU)).Parameters)
        Assert.True(Array.forall2 sameValues (Params.flatten p0) (model.Init(generator 1UL)).Parameters)
        Assert.Equal((vae.LatentDim, vae.Likelihood, vae.Convolutions), (model.LatentDim, model.Likelihood, model.Convolutions))
        Assert.Equal(ResConvVae1d.trainingFlops p0 16, model.TrainingFlops 16)
        // Another architecture's file is refused.
        Assert.ThrowsAny<exn>(fun () -> VaeModel.ResConv1d({ small with Blocks = 2 }).Load(path, TorchSharp.torch.CPU) |> ignore) |> ignore
    finally
        File.Delete path

[<Fact>]
let ``invalid sizes are refused`` () =
    Assert.Throws<System.ArgumentException>(fun () -> ResConvVae1d.model { small with BlockKernel = 4 } |> ignore) |> ignore
    Assert.Throws<System.ArgumentException>(fun () -> ResConvVae1d.model { small with Filters = [] } |> ignore) |> ignore
    Assert.Throws<System.ArgumentException>(fun () -> ResConvVae1d.model { small with Blocks = -1 } |> ignore) |> ignore
