namespace Vae.Model.Tests

open System
open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil
open Vae.Model.Tests.TestTraining

/// The tests below measure process-wide counts (live tensors, malloc's bytes in use): no other test may run
/// beside them, or its tensors and buffers count as theirs.
[<CollectionDefinition("process-wide measurements", DisableParallelization = true)>]
type ProcessWideMeasurements() = class end

/// Training frees what it allocates: live tensors and native memory stay flat over many steps.
[<Collection("process-wide measurements")>]
module TestNativeMemory =
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
    extern MallInfo2 private mallinfo2()

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
        // Alive at both counts: in optimized code the collector could otherwise free them before the second.
        GC.KeepAlive((p0, batch))
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
        let batch = (TorchSharp.torch.rand ([| 64L; 784L |], generator = generator 2UL)).round()
        let gen = generator 3UL
        for i in 0..99 do
            Training.stepInPlace trainer p s batch gen (int64 i) |> ignore
        settleGc ()
        let tensors0, native0 = TorchSharp.torch.Tensor.TotalCount, nativeBytes ()
        for i in 100..499 do
            Training.stepInPlace trainer p s batch gen (int64 i) |> ignore
        settleGc ()
        let tensors1, native1 = TorchSharp.torch.Tensor.TotalCount, nativeBytes ()
        GC.KeepAlive((p, s, batch)) // as in the test above
        Assert.InRange(tensors1 - tensors0, -10L, 10L)
        Assert.InRange(native1 - native0, Int64.MinValue, 10L * 1024L * 1024L)
