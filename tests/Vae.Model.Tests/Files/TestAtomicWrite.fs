module Vae.Model.Tests.Files.TestAtomicWrite

open System.IO
open Xunit
open Vae.Model

[<Fact>]
let ``a complete write replaces the target and leaves nothing else`` () =
    let dir = Directory.CreateTempSubdirectory("atomic-").FullName
    let target = Path.Combine(dir, "f.bin")
    File.WriteAllBytes(target, [| 9uy |])
    AtomicWrite.write target (fun tmp -> File.WriteAllBytes(tmp, [| 1uy; 2uy |]))
    Assert.Equal<byte[]>([| 1uy; 2uy |], File.ReadAllBytes target)
    Assert.Equal<string[]>([| target |], Directory.GetFileSystemEntries dir)
    Directory.Delete(dir, true)

[<Fact>]
let ``a write that fails removes its temporary file and keeps the target`` () =
    let dir = Directory.CreateTempSubdirectory("atomic-").FullName
    let target = Path.Combine(dir, "f.bin")
    File.WriteAllBytes(target, [| 9uy |])
    Assert.Throws<IOException>(fun () ->
        AtomicWrite.write target (fun tmp ->
            File.WriteAllBytes(tmp, [| 1uy |])
            raise (IOException "disk full")))
    |> ignore
    Assert.Equal<byte[]>([| 9uy |], File.ReadAllBytes target)
    Assert.Equal<string[]>([| target |], Directory.GetFileSystemEntries dir)
    Directory.Delete(dir, true)
