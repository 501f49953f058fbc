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
