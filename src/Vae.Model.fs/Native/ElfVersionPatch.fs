/// Reading and editing the symbol-version requirements (`.gnu.version_r`) of a 64-bit little-endian ELF
/// shared library. Used to mark a version requirement weak so an older libstdc++ can load the library.
module Vae.Model.ElfVersionPatch

open System
open System.Buffers.Binary
open System.Text

/// One version requirement: `Version` (e.g. GLIBCXX_3.4.32) needed from `File` (e.g. libstdc++.so.6).
type VersionNeed =
    {
        File: string
        Version: string
        Flags: uint16
        /// Byte offset of the entry's `vna_flags` field in the file.
        FlagsOffset: int
    }

/// `VER_FLG_WEAK`: a missing weak version is a warning for the dynamic loader, not an error.
[<Literal>]
let VerFlagWeak = 2us

[<Literal>]
let private ShtGnuVerneed = 0x6ffffffeu

let private u16 (b: byte[]) (o: int) = BinaryPrimitives.ReadUInt16LittleEndian(ReadOnlySpan(b, o, 2))
let private u32 (b: byte[]) (o: int) = BinaryPrimitives.ReadUInt32LittleEndian(ReadOnlySpan(b, o, 4))
let private u64 (b: byte[]) (o: int) = BinaryPrimitives.ReadUInt64LittleEndian(ReadOnlySpan(b, o, 8))

let private cString (b: byte[]) (o: int) =
    let e = Array.IndexOf(b, 0uy, o)
    if e < 0 then invalidArg "bytes" "unterminated string in ELF string table"
    Encoding.ASCII.GetString(b, o, e - o)

let private requireElf64Le (b: byte[]) =
    if b.Length < 64 || b.[0] <> 0x7fuy || b.[1] <> byte 'E' || b.[2] <> byte 'L' || b.[3] <> byte 'F' then invalidArg "bytes" "not an ELF file"
    if b.[4] <> 2uy || b.[5] <> 1uy then invalidArg "bytes" "only 64-bit little-endian ELF files are supported"

/// All version requirements listed in the file's `.gnu.version_r` section, in file order.
let versionNeeds (bytes: byte[]) : VersionNeed list =
    requireElf64Le bytes
    let shoff = int (u64 bytes 0x28)
    let shentsize = int (u16 bytes 0x3A)
    let shnum = int (u16 bytes 0x3C)
    let section i = shoff + i * shentsize
    let verneed = seq { 0 .. shnum - 1 } |> Seq.tryFind (fun i -> u32 bytes (section i + 4) = ShtGnuVerneed)
    match verneed with
    | None -> []
    | Some i ->
        let sh = section i
        let offset = int (u64 bytes (sh + 0x18))
        let strtab = int (u64 bytes (section (int (u32 bytes (sh + 0x28))) + 0x18))
        let count = int (u32 bytes (sh + 0x2C))
        [ let mutable vn = offset
          for _ in 1..count do
              let file = cString bytes (strtab + int (u32 bytes (vn + 4)))
              let mutable aux = vn + int (u32 bytes (vn + 8))
              for _ in 1 .. int (u16 bytes (vn + 2)) do
                  yield
                      { File = file
                        Version = cString bytes (strtab + int (u32 bytes (aux + 8)))
                        Flags = u16 bytes (aux + 4)
                        FlagsOffset = aux + 4 }
                  aux <- aux + int (u32 bytes (aux + 12))
              vn <- vn + int (u32 bytes (vn + 12)) ]

/// A copy of `bytes` in which the requirement of `version` from `file` is marked weak; every other byte is
/// unchanged. Fails if the file does not require that version.
let markWeak (file: string) (version: string) (bytes: byte[]) : byte[] =
    match versionNeeds bytes |> List.tryFind (fun n -> n.File = file && n.Version = version) with
    | None -> invalidArg "version" $"the library does not require {version} from {file}"
    | Some need ->
        let patched = Array.copy bytes
        BinaryPrimitives.WriteUInt16LittleEndian(Span(patched, need.FlagsOffset, 2), need.Flags ||| VerFlagWeak)
        patched
