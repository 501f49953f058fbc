module Vae.Model.Tests.TestCheckpoint

open System.IO
open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

[<Fact>]
let ``parameters, optimizer state and step round-trip exactly`` () =
    ensureTorch ()
    let cfg = { ConvVae1d.defaultConfig with Length = 40; Filters1 = 3; Filters2 = 4; Kernel1 = 5; Stride1 = 2; Kernel2 = 3; Stride2 = 2; Hidden = 8 }
    let trainer = Training.studyTrainer (ConvVae1d.model cfg) 1.0 10L
    let p0 = ConvVae1d.init cfg TensorSpec.Float32 (generator 1UL)
    let batch = TorchSharp.torch.rand ([| 4L; 40L |], generator = generator 2UL)
    let p, s, _ = Training.step trainer p0 (Optim.init trainer.Optimizer p0) batch (generator 3UL) 0L
    let path = Path.Combine(Path.GetTempPath(), $"ckpt-{System.Guid.NewGuid():N}.safetensors")
    Checkpoint.save path p s 1L
    let fresh = ConvVae1d.init cfg TensorSpec.Float32 (generator 99UL)
    let p', s', step = Checkpoint.load path TorchSharp.torch.CPU fresh (Optim.init trainer.Optimizer fresh)
    Assert.Equal(1L, step)
    Assert.True(Array.forall2 sameValues (Params.flatten p) (Params.flatten p'))
    Assert.True(Array.forall2 (fun (_, a) (_, b) -> sameValues a b) (Optim.namedTensors s) (Optim.namedTensors s'))
    Assert.Equal(p.Up2.OutputPadding, p'.Up2.OutputPadding)
    // A resumed step equals the uninterrupted one bit for bit.
    let a, _, _ = Training.step trainer p s batch (generator 4UL) 1L
    let b, _, _ = Training.step trainer p' s' batch (generator 4UL) 1L
    Assert.True(Array.forall2 sameValues (Params.flatten a) (Params.flatten b))
    File.Delete path

[<Fact>]
let ``loading into a different architecture fails with a clear message`` () =
    ensureTorch ()
    let small = { DenseVae.mlpDefault with Input = 6; Hidden = [ 4 ]; Latent = 2 }
    let p = DenseVae.init small TensorSpec.Float32 (generator 1UL)
    let opt = Nadamw.transform Nadamw.Config.Defaults (Schedule.constant 1e-3)
    let path = Path.Combine(Path.GetTempPath(), $"ckpt-{System.Guid.NewGuid():N}.safetensors")
    Checkpoint.save path p (Optim.init opt p) 0L
    let other = DenseVae.init { small with Hidden = [ 5 ] } TensorSpec.Float32 (generator 1UL)
    let ex = Assert.ThrowsAny<exn>(fun () -> Checkpoint.load path TorchSharp.torch.CPU other (Optim.init opt other) |> ignore)
    Assert.Contains("params/Encoder.0.W", ex.Message)
    File.Delete path

[<Fact>]
let ``a trained model holds the parameters only and loads like the checkpoint's parameters`` () =
    ensureTorch ()
    let cfg = { DenseVae.mlpDefault with Input = 6; Hidden = [ 4 ]; Latent = 2 }
    let p = DenseVae.init cfg TensorSpec.Float32 (generator 1UL)
    let opt = Nadamw.transform Nadamw.Config.Defaults (Schedule.constant 1e-3)
    let dir = Directory.CreateTempSubdirectory("ckpt-").FullName
    let model, checkpoint = Path.Combine(dir, "model.safetensors"), Path.Combine(dir, "last.safetensors")
    Checkpoint.saveModel model p 7L
    Checkpoint.save checkpoint p (Optim.init opt p) 7L
    let fresh = DenseVae.init cfg TensorSpec.Float32 (generator 2UL)
    for path in [ model; checkpoint ] do
        let p', step = Checkpoint.loadParams path TorchSharp.torch.CPU fresh
        Assert.Equal(7L, step)
        Assert.True(Array.forall2 sameValues (Params.flatten p) (Params.flatten p'))
    // NAdamW keeps two moments per parameter: the model is about a third of the checkpoint.
    Assert.True(float (FileInfo(model).Length) < 0.4 * float (FileInfo(checkpoint).Length))
    // A model has no optimizer state to resume from.
    let ex = Assert.ThrowsAny<exn>(fun () -> Checkpoint.load model TorchSharp.torch.CPU fresh (Optim.init opt fresh) |> ignore)
    Assert.Contains("not a functionalvae-checkpoint/1 file", ex.Message)
    let other = DenseVae.init { cfg with Hidden = [ 5 ] } TensorSpec.Float32 (generator 1UL)
    Assert.Contains("params/Encoder.0.W", (Assert.ThrowsAny<exn>(fun () -> Checkpoint.loadParams model TorchSharp.torch.CPU other |> ignore)).Message)
    Directory.Delete(dir, true)
