/// Checkpoints written by an earlier version of the optimizer (fixtures in Files/Fixtures): each holds a small
/// model after two study-NAdamW steps ("-step2", a checkpoint) and the parameters that version reached after a
/// third step ("-step3", a trained model). Loading the first and taking the third step must give the second bit
/// for bit: the checkpoint layout and the training floats are unchanged.
module Vae.Model.Tests.TestOldCheckpoints

open System
open System.IO
open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let private fixture name = Path.Combine(AppContext.BaseDirectory, "Files", "Fixtures", name + ".safetensors")

let private resume (name: string) (vae: Vae<'P>) (template: 'P) (batch: Tensor) =
    let trainer = Training.studyTrainer vae 1.0 10L
    let p, s, step = Checkpoint.load (fixture (name + "-step2")) TorchSharp.torch.CPU template (Optim.init trainer.Optimizer template)
    Assert.Equal(2L, step)
    Assert.All(s :: s.Parts, fun part -> Assert.Equal(2L, part.Count))
    Training.stepInPlace trainer p s batch (generator 5UL) step |> ignore
    let expected, expectedStep = Checkpoint.loadParams (fixture (name + "-step3")) TorchSharp.torch.CPU template
    Assert.Equal(3L, expectedStep)
    Assert.True(Array.forall2 sameValues (Params.flatten expected) (Params.flatten p), name)

[<Fact>]
let ``an MLP checkpoint of the earlier optimizer resumes to the same floats`` () =
    ensureTorch ()
    let cfg = { DenseVae.mlpDefault with Input = 16; Hidden = [ 8 ]; Latent = 2 }
    resume "dense" (DenseVae.model cfg) (DenseVae.init cfg TensorSpec.Float32 (generator 7UL)) (TestTraining.data ())

// Its convolution weights' gradients are not contiguous: both the one-pass kernel and the libtorch operations run.
[<Fact>]
let ``a Conv-VAE checkpoint of the earlier optimizer resumes to the same floats`` () =
    ensureTorch ()
    let cfg = { ConvVae1d.defaultConfig with Length = 40; Filters1 = 3; Filters2 = 4; Kernel1 = 5; Stride1 = 2; Kernel2 = 3; Stride2 = 2; Hidden = 8 }
    let batch = TorchSharp.torch.rand ([| 4L; 40L |], generator = generator 2UL)
    resume "conv1d" (ConvVae1d.model cfg) (ConvVae1d.init cfg TensorSpec.Float32 (generator 7UL)) batch
