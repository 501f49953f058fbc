/// The packed training state steps, saves and resumes as the pure training functions do, bit for bit.
module Vae.Model.Tests.TestTrainState

open System.IO
open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let private cfg = TestTraining.cfg
let private optimizer () = Training.studyOptimizer 10L
let private start () = VaeModel.Dense(cfg).StartTraining(optimizer (), 1.0, generator 3UL)

[<Fact>]
let ``in-place steps equal Training.stepInPlace and the model sees them`` () =
    ensureTorch ()
    let data = TestTraining.data ()
    use training = start ()
    let trainer = Training.studyTrainer TestTraining.vae 1.0 10L
    let p = DenseVae.init cfg TensorSpec.Float32 (generator 3UL)
    let s = Optim.init trainer.Optimizer p
    for step in 0L .. 2L do
        let m = training.StepInPlace(data, generator (10UL + uint64 step), step)
        Assert.Equal(Training.stepInPlace trainer p s data (generator (10UL + uint64 step)) step, m)
    Assert.Equal(3L, training.Updates)
    Assert.True(Array.forall2 sameValues (Params.flatten p) training.Model.Parameters)
    Assert.ThrowsAny<exn>(fun () -> training.StepInPlace(data, generator 1UL, 7L) |> ignore) |> ignore

[<Fact>]
let ``a pure step gives the in-place result and leaves its state intact`` () =
    ensureTorch ()
    let data = TestTraining.data ()
    use pure0 = start ()
    use inPlace = start ()
    let before = pure0.Model.Parameters |> Array.map (fun t -> t.clone ())
    let struct (next, m) = pure0.Step(data, generator 4UL, 0L)
    use next = next
    Assert.Equal(inPlace.StepInPlace(data, generator 4UL, 0L), m)
    Assert.True(Array.forall2 sameValues inPlace.Model.Parameters next.Model.Parameters)
    Assert.True(Array.forall2 sameValues before pure0.Model.Parameters)
    Assert.Equal((0L, 1L), (pure0.Updates, next.Updates))

[<Fact>]
let ``checkpoints are Checkpoint.save's files and resume to the uninterrupted floats`` () =
    ensureTorch ()
    let data = TestTraining.data ()
    let dir = Directory.CreateTempSubdirectory("train-state-").FullName
    let viaHandle, direct = Path.Combine(dir, "handle.safetensors"), Path.Combine(dir, "direct.safetensors")
    use training = start ()
    training.StepInPlace(data, generator 4UL, 0L) |> ignore
    training.SaveCheckpoint viaHandle
    let trainer = Training.studyTrainer TestTraining.vae 1.0 10L
    let p = DenseVae.init cfg TensorSpec.Float32 (generator 3UL)
    let s = Optim.init trainer.Optimizer p
    Training.stepInPlace trainer p s data (generator 4UL) 0L |> ignore
    Checkpoint.save direct p s 1L
    Assert.Equal<byte[]>(File.ReadAllBytes direct, File.ReadAllBytes viaHandle)
    use other = VaeModel.Dense(cfg).StartTraining(optimizer (), 1.0, generator 99UL)
    use resumed = other.LoadCheckpoint(viaHandle, TorchSharp.torch.CPU)
    Assert.Equal(1L, resumed.Updates)
    Assert.Equal(training.StepInPlace(data, generator 5UL, 1L), resumed.StepInPlace(data, generator 5UL, 1L))
    Assert.True(Array.forall2 sameValues training.Model.Parameters resumed.Model.Parameters)
    Directory.Delete(dir, true)
