module Vae.Model.Tests.TestElfVersionPatch

open System.IO
open Xunit
open Vae.Model
open Vae.Model.ElfVersionPatch

let private library () = File.ReadAllBytes(NativeSetup.packagedLibraryPath ())

[<Fact>]
let ``the packaged library requires the GLIBCXX 3.4.32 marker, not weak`` () =
    let need = versionNeeds (library ()) |> List.find (fun n -> n.File = "libstdc++.so.6" && n.Version = "GLIBCXX_3.4.32")
    Assert.Equal(0us, need.Flags &&& VerFlagWeak)

[<Fact>]
let ``markWeak sets the weak flag on that entry and changes nothing else`` () =
    let original = library ()
    let patched = markWeak "libstdc++.so.6" "GLIBCXX_3.4.32" original
    Assert.Equal(original.Length, patched.Length)
    let changed =
        [ for i in 0 .. original.Length - 1 do
              if original.[i] <> patched.[i] then yield i ]
    let need = versionNeeds original |> List.find (fun n -> n.Version = "GLIBCXX_3.4.32")
    // Only the low byte of that entry's vna_flags differs, by exactly the weak bit.
    Assert.Equal<int list>([ need.FlagsOffset ], changed)
    Assert.Equal(original.[need.FlagsOffset] ||| 2uy, patched.[need.FlagsOffset])
    let before = versionNeeds original
    let after = versionNeeds patched
    Assert.Equal(before.Length, after.Length)
    for b, a in List.zip before after do
        Assert.Equal((b.File, b.Version), (a.File, a.Version))
        let expected = if b.Version = "GLIBCXX_3.4.32" then b.Flags ||| VerFlagWeak else b.Flags
        Assert.Equal(expected, a.Flags)

[<Fact>]
let ``markWeak refuses a version the library does not need`` () =
    Assert.Throws<System.ArgumentException>(fun () -> markWeak "libstdc++.so.6" "GLIBCXX_9.9.99" (library ()) |> ignore) |> ignore

[<Fact>]
let ``versionNeeds rejects a file that is not ELF`` () =
    Assert.Throws<System.ArgumentException>(fun () -> versionNeeds (Array.zeroCreate 128) |> ignore) |> ignore

[<Fact>]
let ``preparePatchedCopy writes the patched bytes once and reuses them`` () =
    let dir = Path.Combine(Path.GetTempPath(), "fvae-native-" + string (System.Guid.NewGuid()))
    try
        let original = NativeSetup.packagedLibraryPath ()
        let copy = NativeSetup.preparePatchedCopy dir original
        let expected = markWeak "libstdc++.so.6" "GLIBCXX_3.4.32" (File.ReadAllBytes original)
        Assert.Equal<byte[]>(expected, File.ReadAllBytes copy)
        let stamp = File.GetLastWriteTimeUtc copy
        Assert.Equal(copy, NativeSetup.preparePatchedCopy dir original)
        Assert.Equal(stamp, File.GetLastWriteTimeUtc copy)
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName copy, "*.tmp"))
    finally
        Directory.Delete(dir, true)
