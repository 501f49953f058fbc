module Vae.Model.Tests.TestTraining

open System
open System.IO
open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let internal cfg = { DenseVae.mlpDefault with Input = 16; Hidden = [ 8 ]; Latent = 2 }
let internal vae = DenseVae.model cfg

let internal data () = (TorchSharp.torch.rand ([| 32L; 16L |], generator = generator 21UL)).round()

/// Runs `steps` training steps on one batch, disposing replaced parameters and states; returns the final
/// parameters, state and the metrics of every step.
let internal train (trainer: Training.Trainer<'P>) (p0: 'P) (batch: Tensor) (steps: int) (seed: uint64) =
    let gen = generator seed
    let mutable p = Params.copy p0
    let mutable s = Optim.init trainer.Optimizer p
    let metrics =
        [| for step in 0 .. steps - 1 do
               let p', s', m = Training.step trainer p s batch gen (int64 step)
               Params.dispose p
               Optim.disposeState s
               p <- p'
               s <- s'
               yield m |]
    p, s, metrics

[<Fact>]
let ``training steps lower the loss and report consistent metrics`` () =
    ensureTorch ()
    let trainer = Training.studyTrainer vae 1.0 300L
    let _, _, ms =
        train
            { trainer with Optimizer = Nadamw.transform Nadamw.Config.Defaults (Schedule.constant 0.01) }
            (DenseVae.init cfg TensorSpec.Float32 (generator 1UL))
            (data ())
            300
            2UL
    let early = ms.[0..9] |> Array.averageBy (fun m -> m.Loss)
    let late = ms.[290..] |> Array.averageBy (fun m -> m.Loss)
    Assert.True(late < 0.8 * early, $"loss {early} -> {late}")
    for m in ms do
        Assert.Equal(m.Reconstruction + m.Kl, m.Loss, 3)
        Assert.Equal(m.Kl, Array.sum m.KlPerDimension, 3)

[<Fact>]
let ``a step is pure and reproducible`` () =
    ensureTorch ()
    let trainer = Training.studyTrainer vae 2.0 10L
    let p = DenseVae.init cfg TensorSpec.Float32 (generator 1UL)
    let s = Optim.init trainer.Optimizer p
    let before = Params.flatten p |> Array.map toArray
    let run () =
        let p', s', m = Training.step trainer p s (data ()) (generator 3UL) 0L
        Params.flatten p' |> Array.map toArray, Optim.namedTensors s' |> Array.map (snd >> toArray), m.Loss
    let a, b = run (), run ()
    Assert.Equal<float[][]>(before, Params.flatten p |> Array.map toArray)
    Assert.True(Optim.namedTensors s |> Array.forall (fun (_, t) -> toArray t |> Array.forall ((=) 0.0)))
    let pa, sa, la = a
    let pb, sb, lb = b
    Assert.Equal<float[][]>(pa, pb)
    Assert.Equal<float[][]>(sa, sb)
    Assert.Equal(la, lb)
    Assert.NotEqual<float[][]>(before, pa)

[<Fact>]
let ``stepInPlace writes exactly the values of the pure step into the donated tensors`` () =
    ensureTorch ()
    let trainer = Training.studyTrainer vae 1.0 10L
    let p = DenseVae.init cfg TensorSpec.Float32 (generator 1UL)
    let s = Optim.init trainer.Optimizer p
    let batch = data ()
    let expectedP, expectedS, expectedM = Training.step trainer p s batch (generator 3UL) 0L
    let m = Training.stepInPlace trainer p s batch (generator 3UL) 0L
    Assert.True(Array.forall2 sameValues (Params.flatten expectedP) (Params.flatten p))
    Assert.True(Array.forall2 (fun (_, a) (_, b) -> sameValues a b) (Optim.namedTensors expectedS) (Optim.namedTensors s))
    Assert.Equal(expectedM, m)

[<Fact>]
let ``evaluateDataset weights batches by their size`` () =
    ensureTorch ()
    let p = DenseVae.init cfg TensorSpec.Float64 (generator 1UL)
    let x = (TorchSharp.torch.rand ([| 10L; 16L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator 8UL)).round()
    // Batches of 4, 4 and 2 draw their noise one after another from the same generator; the dataset's metrics
    // are their means weighted by batch size, in every term.
    let split = Training.evaluateDataset vae 0.5 (generator 9UL) p x 4
    let gen = generator 9UL
    let parts = [ for start, len in [ 0L, 4L; 4L, 4L; 8L, 2L ] -> float len, Training.evaluate vae 0.5 gen p (x.narrow (0L, start, len)) ]
    let weighted f = (parts |> List.sumBy (fun (w, m) -> w * f m)) / 10.0
    let unweighted f = (parts |> List.sumBy (fun (_, m) -> f m)) / 3.0
    for name, f in [ "loss", (fun (m: Losses.Metrics) -> m.Loss); "reconstruction", (fun m -> m.Reconstruction); "KL", (fun m -> m.Kl) ] do
        assertClose 1e-12 1e-12 [| weighted f |] [| f split |]
        // The plain mean of the three batches differs, so the test sees the weights.
        Assert.True(abs (unweighted f - f split) > 1e-9, $"{name}: the unweighted mean equals the weighted one")
    assertClose 1e-12 1e-12 (Array.init 2 (fun j -> weighted (fun m -> m.KlPerDimension.[j]))) split.KlPerDimension
    // KL does not depend on the noise: the whole set in one batch gives it too.
    let whole = Training.evaluateDataset vae 0.5 (generator 9UL) p x 10
    Assert.Equal(whole.Kl, split.Kl, 10)
    assertClose 1e-10 1e-10 whole.KlPerDimension split.KlPerDimension


[<Fact>]
let ``a step number other than the state's count is refused`` () =
    ensureTorch ()
    let trainer = Training.studyTrainer vae 1.0 10L
    let p = DenseVae.init cfg TensorSpec.Float32 (generator 1UL)
    let s = Optim.init trainer.Optimizer p
    let ex = Assert.Throws<ArgumentException>(fun () -> Training.stepInPlace trainer p s (data ()) (generator 3UL) 1L |> ignore)
    Assert.Contains("has applied 0 updates", ex.Message)
    Training.stepInPlace trainer p s (data ()) (generator 3UL) 0L |> ignore
    Assert.Equal(1L, s.Count)
