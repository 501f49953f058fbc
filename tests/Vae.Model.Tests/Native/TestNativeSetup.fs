module Vae.Model.Tests.TestNativeSetup

open System.IO
open System.Text
open Xunit
open TorchSharp
open Vae.Model

/// Whether the libstdc++ mapped into this process defines the GLIBCXX_3.4.32 version.
let private loadedLibstdcxxHas432 () =
    File.ReadAllLines "/proc/self/maps"
    |> Array.map (fun l -> l.Split(' ', System.StringSplitOptions.RemoveEmptyEntries))
    |> Array.tryPick (fun f -> if f.Length >= 6 && f.[5].Contains "libstdc++.so" then Some f.[5] else None)
    |> Option.map (fun p -> (Encoding.ASCII.GetString(File.ReadAllBytes p)).Contains "GLIBCXX_3.4.32")

[<Fact>]
let ``native setup loads libtorch, patching only where libstdc++ is too old, and is idempotent`` () =
    let first = NativeSetup.initialize ()
    Assert.Equal(first, NativeSetup.initialize ())
    if System.OperatingSystem.IsLinux() then
        match loadedLibstdcxxHas432 (), first with
        | Some true, NativeSetup.Packaged _ -> ()
        | Some false, NativeSetup.PatchedCopy(_, copy) -> Assert.True(File.Exists copy)
        | has, s -> failwith $"unexpected native status {s} for libstdc++ with GLIBCXX_3.4.32 = {has}"

[<Fact>]
let ``a small convolution computes forward and backward values that match a hand computation`` () =
    NativeSetup.initialize () |> ignore
    use scope = torch.NewDisposeScope()
    // x = [1 2 3 4], kernel w = [1 -1 2], no padding: y_j = x_j - x_{j+1} + 2 x_{j+2}.
    let x = torch.tensor([| 1.0; 2.0; 3.0; 4.0 |], dtype = torch.float64).reshape(1L, 1L, 4L)
    let w = torch.tensor([| 1.0; -1.0; 2.0 |], dtype = torch.float64).reshape(1L, 1L, 3L).requires_grad_(true)
    let y = torch.nn.functional.conv1d (x, w)
    Assert.Equal<float[]>([| 5.0; 7.0 |], y.data<float>().ToArray())
    // L = sum y^2 / 2, so dL/dw_k = sum_j y_j x_{j+k}: [5*1+7*2, 5*2+7*3, 5*3+7*4] = [19, 31, 43].
    let loss = (y * y).sum() / torch.tensor (2.0, dtype = torch.float64)
    let grad = torch.autograd.grad([| loss |], [| w |]).[0]
    Assert.Equal<float[]>([| 19.0; 31.0; 43.0 |], grad.data<float>().ToArray())

[<Fact>]
let ``setThreads applies the requested thread count and rejects zero`` () =
    Assert.Equal(1, NativeSetup.setThreads (Some 1))
    Assert.Equal(1, torch.get_num_threads ())
    Assert.Throws<System.ArgumentException>(fun () -> NativeSetup.setThreads (Some 0) |> ignore) |> ignore
    NativeSetup.setThreads None |> ignore

// Applying the settings changes malloc for the whole test process, so it is tested in the host's tests,
// whose training runs apply it anyway; here only what can be checked without changing the process.
[<Fact>]
let ``reuseLargeAllocations would reach glibc's mallopt with the documented settings`` () =
    Assert.Equal<(int * int) list>([ -3, 32 * 1024 * 1024; -1, 1024 * 1024 * 1024; -2, 256 * 1024 * 1024 ], NativeSetup.largeAllocationSettings)
    if System.OperatingSystem.IsLinux() then
        let libc = System.Runtime.InteropServices.NativeLibrary.Load "libc.so.6"
        Assert.True(fst (System.Runtime.InteropServices.NativeLibrary.TryGetExport(libc, "mallopt")))
