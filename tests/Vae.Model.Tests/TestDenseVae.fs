module Vae.Model.Tests.TestDenseVae

open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

[<Fact>]
let ``MLP-VAE 784-500-20 has the hand-computed parameter count and shapes`` () =
    ensureTorch ()
    let p = DenseVae.init DenseVae.mlpDefault TensorSpec.Float32 (generator 1UL)
    // 784*500+500 + 500*40+40 + 20*500+500 + 500*784+784
    Assert.Equal(392_500L + 20_040L + 10_500L + 392_784L, Params.count p)
    ModelChecks.shapes (DenseVae.model DenseVae.mlpDefault) p 784 TensorSpec.Float32

[<Fact>]
let ``DNN-VAE 784-500-150-20 has the hand-computed parameter count and shapes`` () =
    ensureTorch ()
    let p = DenseVae.init DenseVae.dnnDefault TensorSpec.Float32 (generator 1UL)
    // 784*500+500 + 500*150+150 + 150*40+40 + 20*150+150 + 150*500+500 + 500*784+784
    Assert.Equal(392_500L + 75_150L + 6_040L + 3_150L + 75_500L + 392_784L, Params.count p)
    ModelChecks.shapes (DenseVae.model DenseVae.dnnDefault) p 784 TensorSpec.Float32

[<Fact>]
let ``initialization is deterministic, heads and output are LeCun-scaled with zero biases`` () =
    ensureTorch ()
    let cfg = { DenseVae.dnnDefault with Input = 30; Hidden = [ 20; 10 ]; Latent = 3 }
    ModelChecks.determinism (DenseVae.init cfg TensorSpec.Float64)
    let p = DenseVae.init cfg TensorSpec.Float64 (generator 2UL)
    Assert.True(Params.flatten p |> Array.forall (fun t -> t.dim () = 2L || (toArray t |> Array.forall ((=) 0.0))))
    Assert.Equal<int64[]>([| 6L; 10L |], p.Head.W.shape)
    Assert.Equal<int64[]>([| 30L; 20L |], p.Output.W.shape)

[<Fact>]
let ``examples are encoded independently and invalid configs are rejected`` () =
    ensureTorch ()
    let cfg = { DenseVae.mlpDefault with Input = 12; Hidden = [ 8 ]; Latent = 2 }
    ModelChecks.examplesIndependent (DenseVae.model cfg) (DenseVae.init cfg TensorSpec.Float64 (generator 3UL)) 12
    Assert.Throws<System.ArgumentException>(fun () -> DenseVae.model { cfg with Hidden = [] } |> ignore) |> ignore

[<Fact>]
let ``builders change only the field they name`` () =
    let cfg = DenseVae.dnnDefault |> DenseVae.withInput 5000 |> DenseVae.withLatent 2 |> DenseVae.withLikelihood Losses.SquaredError
    Assert.Equal({ DenseVae.dnnDefault with Input = 5000; Latent = 2; Likelihood = Losses.SquaredError }, cfg)
    Assert.Equal<int list>([ 500; 150 ], cfg.Hidden)
