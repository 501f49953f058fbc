module Vae.Model.Tests.TestTraining

open System
open System.IO
open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let private cfg = { DenseVae.mlpDefault with Input = 16; Hidden = [ 8 ]; Latent = 2 }
let private vae = DenseVae.model cfg

let private data () =
    (TorchSharp.torch.rand([| 32L; 16L |], generator = generator 21UL)).round()

/// Runs `steps` training steps on one batch, disposing replaced parameters and states; returns the final
/// parameters, state and the metrics of every step.
let private train (trainer: Training.Trainer<'P>) (p0: 'P) (batch: Tensor) (steps: int) (seed: uint64) =
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
    let _, _, ms = train { trainer with Optimizer = Optim.nadamw Optim.NadamwConfig.Defaults (Schedule.constant 0.01) } (DenseVae.init cfg TensorSpec.Float32 (generator 1UL)) (data ()) 300 2UL
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

/// glibc's `struct mallinfo2` (ten size_t fields).
[<Struct; System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)>]
type private MallInfo2 =
    val Arena: unativeint
    val Ordblks: unativeint
    val Smblks: unativeint
    val Hblks: unativeint
    val Hblkhd: unativeint
    val Usmblks: unativeint
    val Fsmblks: unativeint
    val Uordblks: unativeint
    val Fordblks: unativeint
    val Keepcost: unativeint

[<System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallinfo2")>]
extern MallInfo2 private mallinfo2 ()

/// Native bytes in use: on glibc, malloc's allocated bytes over all arenas (heap chunks in use plus mmapped
/// blocks). Resident memory is not used because malloc keeps freed pages cached per thread arena, which made
/// it jump by hundreds of MB between runs without any leak. Elsewhere: the working set.
let private nativeBytes () =
    if OperatingSystem.IsLinux() then
        let m = mallinfo2 ()
        int64 m.Uordblks + int64 m.Hblkhd
    else
        int64 Environment.WorkingSet

[<Fact>]
let ``native memory stays flat over thousands of training steps`` () =
    ensureTorch ()
    let trainer = Training.studyTrainer vae 1.0 3000L
    let batch = data ()
    let p0 = DenseVae.init cfg TensorSpec.Float32 (generator 1UL)
    // Warm up the allocator, then measure live tensors and native memory around 2,000 more steps.
    let pw, sw, _ = train trainer p0 batch 200 4UL
    Params.dispose pw
    Optim.disposeState sw
    settleGc ()
    let tensors0, native0 = TorchSharp.torch.Tensor.TotalCount, nativeBytes ()
    let p, s, ms = train trainer p0 batch 2000 5UL
    Params.dispose p
    Optim.disposeState s
    settleGc ()
    let tensors1, native1 = TorchSharp.torch.Tensor.TotalCount, nativeBytes ()
    Assert.Equal(2000, ms.Length)
    // Every step allocates hundreds of tensors: a leak of even one per step would show as >= 2000 here.
    Assert.InRange(tensors1 - tensors0, -10L, 10L)
    // A leaked copy of the parameters and state per step would be ~ 2000 x 3 x 1.5 kB = 9 MB; allow 6 MB of noise.
    Assert.InRange(native1 - native0, Int64.MinValue, 6L * 1024L * 1024L)

[<Fact>]
let ``native memory stays flat over hundreds of in-place steps of a larger model`` () =
    ensureTorch ()
    // 784-200-10: each step allocates and frees ~10 MB of temporaries; a leaked tensor per step would add
    // at least 30 kB x 400 = 12 MB, a leaked parameter copy 1.3 MB x 400.
    let big = { DenseVae.mlpDefault with Hidden = [ 200 ]; Latent = 10 }
    let trainer = Training.studyTrainer (DenseVae.model big) 1.0 600L
    let p = DenseVae.init big TensorSpec.Float32 (generator 1UL)
    let s = Optim.init trainer.Optimizer p
    let batch = (TorchSharp.torch.rand([| 64L; 784L |], generator = generator 2UL)).round()
    let gen = generator 3UL
    for i in 0 .. 99 do
        Training.stepInPlace trainer p s batch gen (int64 i) |> ignore
    settleGc ()
    let tensors0, native0 = TorchSharp.torch.Tensor.TotalCount, nativeBytes ()
    for i in 100 .. 499 do
        Training.stepInPlace trainer p s batch gen (int64 i) |> ignore
    settleGc ()
    Assert.InRange(TorchSharp.torch.Tensor.TotalCount - tensors0, -10L, 10L)
    Assert.InRange(nativeBytes () - native0, Int64.MinValue, 10L * 1024L * 1024L)

[<Fact>]
let ``evaluateDataset weights batches by their size`` () =
    ensureTorch ()
    let p = DenseVae.init cfg TensorSpec.Float64 (generator 1UL)
    let x = (TorchSharp.torch.rand([| 10L; 16L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator 8UL)).round()
    // Batches of 4, 4 and 2 draw their noise one after another from the same generator; the dataset's metrics
    // are their means weighted by batch size, in every term.
    let split = Training.evaluateDataset vae 0.5 (generator 9UL) p x 4
    let gen = generator 9UL
    let parts = [ for start, len in [ 0L, 4L; 4L, 4L; 8L, 2L ] -> float len, Training.evaluate vae 0.5 gen p (x.narrow(0L, start, len)) ]
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

