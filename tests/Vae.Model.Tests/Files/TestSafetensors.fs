module Vae.Model.Tests.TestSafetensors

open System.IO
open System.Text
open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

[<Fact>]
let ``the file layout follows the safetensors format`` () =
    ensureTorch ()
    let path = Path.GetTempFileName()
    let t = tensor64 [| 2L |] [| 1.5; -2.0 |]
    Safetensors.write path [ "k", "v" ] [| "a", t |]
    let bytes = File.ReadAllBytes path
    let n = int (System.BitConverter.ToUInt64(bytes, 0))
    let header = Encoding.UTF8.GetString(bytes, 8, n).TrimEnd()
    Assert.Equal(0, n % 8)
    Assert.Equal("""{"__metadata__":{"k":"v"},"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}""", header)
    Assert.Equal(1.5, System.BitConverter.ToDouble(bytes, 8 + n))
    Assert.Equal(8 + n + 16, bytes.Length)
    File.Delete path

[<Fact>]
let ``write then read returns identical tensors of several dtypes`` () =
    ensureTorch ()
    let path = Path.GetTempFileName()
    let f32 = randn (generator 1UL) TensorSpec.Float32 [| 3L; 4L |]
    let i64 = TorchSharp.torch.arange(6L).reshape(2L, 3L)
    let scalar = tensor64 [||] [| System.Math.PI |]
    Safetensors.write path [] [| "f", f32; "i", i64; "s", scalar |]
    let meta, read = Safetensors.read path TorchSharp.torch.CPU
    Assert.Empty(meta)
    Assert.True(sameValues f32 read.["f"])
    Assert.True(sameValues i64 read.["i"])
    Assert.True(sameValues scalar read.["s"])
    File.Delete path

[<Fact>]
let ``a write that fails leaves no temporary file`` () =
    ensureTorch ()
    let dir = Directory.CreateTempSubdirectory("safetensors-").FullName
    // The target is a folder: the temporary file is written in full, and the rename into place fails.
    let target = Path.Combine(dir, "last.safetensors")
    Directory.CreateDirectory target |> ignore
    Assert.ThrowsAny<exn>(fun () -> Safetensors.write target [] [| "a", tensor64 [| 2L |] [| 1.0; 2.0 |] |]) |> ignore
    Assert.Equal<string[]>([| target |], Directory.GetFileSystemEntries dir)
    Directory.Delete(dir, true)
