/// Each architecture packed as a `VaeModel`: what it reports, its parameters as its own `init` draws them, and
/// files of earlier versions read through it.
module Vae.Model.Tests.TestVaeModel

open System
open System.IO
open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let private conv1d =
    { ConvVae1d.defaultConfig with Length = 40; Filters1 = 3; Filters2 = 4; Kernel1 = 5; Stride1 = 2; Kernel2 = 3; Stride2 = 2; Hidden = 8 }
let private conv2d = { ConvVae2d.defaultConfig with Side = 12 }
let private fixture name = Path.Combine(AppContext.BaseDirectory, "Files", "Fixtures", name + ".safetensors")

[<Fact>]
let ``each architecture reports its shape and draws its own init's parameters`` () =
    ensureTorch ()
    let check (model: VaeModel) (vae: Vae<'P>) (init: TensorSpec -> TorchSharp.torch.Generator -> 'P) flops =
        let p = init TensorSpec.Float32 (generator 8UL)
        Assert.True(Array.forall2 sameValues (Params.flatten p) (model.Init(generator 8UL)).Parameters)
        Assert.Equal((vae.LatentDim, vae.Likelihood, vae.Convolutions), (model.LatentDim, model.Likelihood, model.Convolutions))
        Assert.Equal(flops p 16, model.TrainingFlops 16)
    check (VaeModel.Dense TestTraining.cfg) TestTraining.vae (DenseVae.init TestTraining.cfg) DenseVae.trainingFlops
    check (VaeModel.Conv1d conv1d) (ConvVae1d.model conv1d) (ConvVae1d.init conv1d) ConvVae1d.trainingFlops
    check (VaeModel.Conv2d conv2d) (ConvVae2d.model conv2d) (ConvVae2d.init conv2d) ConvVae2d.trainingFlops

[<Fact>]
let ``a checkpoint of an earlier version loads and resumes through the handles`` () =
    ensureTorch ()
    let model = VaeModel.Dense { DenseVae.mlpDefault with Input = 16; Hidden = [ 8 ]; Latent = 2 }
    use start = model.StartTraining(Training.studyOptimizer 10L, 1.0, generator 7UL)
    use training = start.LoadCheckpoint(fixture "dense-step2", TorchSharp.torch.CPU)
    training.StepInPlace(TestTraining.data (), generator 5UL, training.Updates) |> ignore
    let expected = model.Load(fixture "dense-step3", TorchSharp.torch.CPU)
    Assert.True(Array.forall2 sameValues expected.Parameters training.Model.Parameters)

[<Fact>]
let ``a file of another architecture is refused, naming the tensor`` () =
    ensureTorch ()
    let ex = Assert.ThrowsAny<exn>(fun () -> VaeModel.Conv1d(conv1d).Load(fixture "dense-step3", TorchSharp.torch.CPU) |> ignore)
    Assert.Contains("params/", ex.Message)
