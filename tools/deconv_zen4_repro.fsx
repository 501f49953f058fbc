// A minimal reproduction of a wrong float32 transposed convolution in libtorch 2.10 (TorchSharp-cpu 0.107.0) on
// AMD EPYC (Zen 4), for a report upstream: conv_transpose1d with stride 1 and a few input channels, compared with
// the same call in float64 on the same values. On Intel Xeon, and on some Zen 4 machines, every line reads "right". Run:
//   dotnet fsi tools/deconv_zen4_repro.fsx            (ONEDNN_VERBOSE=1 in front names the kernel)
// It needs nothing of the product but its native setup: TorchSharp 0.107's LibTorchSharp asks for GLIBCXX_3.4.32,
// which Debian 12 lacks, and the product's NativeSetup loads a patched copy (docs/zen4-deconv.md). With a newer libstdc++,
// `#r "nuget: TorchSharp-cpu, 0.107.0"` alone is enough and the two product lines can go.
#r "../src/Vae.Model.fs/bin/Release/net10.0/TorchSharp.dll"
#r "../src/Vae.Model.fs/bin/Release/net10.0/Vae.Model.dll"

open TorchSharp

Vae.Model.NativeSetup.initialize () |> ignore
torch.set_num_threads 1

let relativeError (single: torch.Tensor) (double: torch.Tensor) =
    (single.to_type (torch.ScalarType.Float64) - double).abs().max().item<float>() / double.abs().max().item<float>()

let gen = new torch.Generator(1UL)
for cin, cout in [ 1, 1; 4, 1; 8, 1; 16, 1; 4, 4 ] do
    let x = torch.randn ([| 2L; int64 cin; 100L |], dtype = torch.ScalarType.Float64, generator = gen)
    let w = torch.randn ([| int64 cin; int64 cout; 5L |], dtype = torch.ScalarType.Float64, generator = gen)
    let f (x: torch.Tensor) (w: torch.Tensor) = torch.nn.functional.conv_transpose1d (x, w, stride = 1L, padding = 2L)
    let e = relativeError (f (x.to_type torch.ScalarType.Float32) (w.to_type torch.ScalarType.Float32)) (f x w)
    printfn
        "conv_transpose1d float32, %2d -> %d channels, kernel 5, stride 1: max error %.2e of the largest output: %s"
        cin
        cout
        e
        (if e < 1e-4 then "right" else "WRONG")
