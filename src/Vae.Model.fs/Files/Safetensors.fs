/// Reading and writing the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
/// little-endian header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {..}},
/// then the raw little-endian row-major tensor bytes. Readable from Python with `safetensors.torch.load_file`.
module Vae.Model.Safetensors

open System
open System.IO
open System.Text
open System.Text.Json
open TorchSharp
open Vae.Model.Interop

let private dtypeNames =
    [ torch.ScalarType.Float64, "F64"
      torch.ScalarType.Float32, "F32"
      torch.ScalarType.Float16, "F16"
      torch.ScalarType.BFloat16, "BF16"
      torch.ScalarType.Int64, "I64"
      torch.ScalarType.Int32, "I32"
      torch.ScalarType.Int16, "I16"
      torch.ScalarType.Int8, "I8"
      torch.ScalarType.Byte, "U8"
      torch.ScalarType.Bool, "BOOL" ]

let private nameOf (d: torch.ScalarType) =
    match List.tryFind (fun (t, _) -> t = d) dtypeNames with
    | Some(_, n) -> n
    | None -> invalidArg "dtype" $"safetensors cannot store {d}"

let private dtypeOf (n: string) =
    match List.tryFind (fun (_, m) -> m = n) dtypeNames with
    | Some(t, _) -> t
    | None -> failwith $"unsupported safetensors dtype {n}"

/// Writes named tensors and string metadata, atomically. Names must be unique. Tensors are copied to the CPU.
let write (path: string) (metadata: (string * string) list) (tensors: (string * Tensor)[]) : unit =
    let names = tensors |> Array.map fst
    if (Array.distinct names).Length <> names.Length then invalidArg "tensors" "tensor names must be unique"
    let cpu = tensors |> Array.map (fun (n, t) -> n, t.detach().cpu().contiguous())
    use header = new MemoryStream()
    do
        use w = new Utf8JsonWriter(header)
        w.WriteStartObject()
        w.WriteStartObject "__metadata__"
        for k, v in metadata do
            w.WriteString(k, v)
        w.WriteEndObject()
        let mutable offset = 0L
        for n, t in cpu do
            let size = t.numel () * int64 (t.ElementSize)
            w.WriteStartObject n
            w.WriteString("dtype", nameOf t.dtype)
            w.WriteStartArray "shape"
            for s in t.shape do
                w.WriteNumberValue s
            w.WriteEndArray()
            w.WriteStartArray "data_offsets"
            w.WriteNumberValue offset
            w.WriteNumberValue(offset + size)
            w.WriteEndArray()
            w.WriteEndObject()
            offset <- offset + size
        w.WriteEndObject()
    // The data starts 8-byte aligned: the header is padded with spaces, as the format recommends.
    let headerBytes = header.ToArray()
    let padded = Array.append headerBytes (Array.create ((8 - headerBytes.Length % 8) % 8) (byte ' '))
    try
        AtomicWrite.write path (fun tmp ->
            use f = File.Create tmp
            f.Write(
                BitConverter.GetBytes(
                    uint64 padded.Length |> fun v -> if BitConverter.IsLittleEndian then v else failwith "big-endian hosts are not supported"
                ),
                0,
                8
            )
            f.Write(padded, 0, padded.Length)
            for _, t in cpu do
                t.WriteBytesToStream(f)
            f.Flush(true))
    finally
        for _, t in cpu do
            t.Dispose()

/// A shape as messages show it, e.g. [500, 784].
let shapeText (shape: int64[]) = "[" + String.Join(", ", shape) + "]"

let private readUnchecked (path: string) (device: torch.Device) : Map<string, string> * Map<string, Tensor> =
    use f = File.OpenRead path
    let lenBytes = Array.zeroCreate<byte> 8
    f.ReadExactly(lenBytes, 0, 8)
    let headerLen = BitConverter.ToUInt64(lenBytes, 0)
    if headerLen > uint64 (f.Length - 8L) then failwith $"its header length {headerLen} exceeds the file"
    let headerBytes = Array.zeroCreate<byte>(int headerLen)
    f.ReadExactly(headerBytes, 0, headerBytes.Length)
    use doc = JsonDocument.Parse(Encoding.UTF8.GetString headerBytes)
    let dataStart = 8L + int64 headerLen
    let mutable metadata = Map.empty
    let mutable tensors = Map.empty
    for prop in doc.RootElement.EnumerateObject() do
        if prop.Name = "__metadata__" then
            for m in prop.Value.EnumerateObject() do
                metadata <- metadata.Add(m.Name, m.Value.GetString())
        else
            let dtype = dtypeOf (prop.Value.GetProperty("dtype").GetString())
            let shape = [| for s in prop.Value.GetProperty("shape").EnumerateArray() -> s.GetInt64() |]
            let offsets = [| for s in prop.Value.GetProperty("data_offsets").EnumerateArray() -> s.GetInt64() |]
            let t = torch.empty (shape, dtype = dtype)
            if offsets.[1] - offsets.[0] <> t.numel () * int64 t.ElementSize then
                failwith $"tensor {prop.Name} has {offsets.[1] - offsets.[0]} bytes for shape {shapeText shape}"
            if dataStart + offsets.[1] > f.Length then failwith $"tensor {prop.Name} ends beyond the end of the file"
            f.Seek(dataStart + offsets.[0], SeekOrigin.Begin) |> ignore
            t.ReadBytesFromStream(f)
            let placed =
                if device.``type`` = DeviceType.CPU then
                    t
                else
                    (let d = t.``to`` (device) in
                     t.Dispose()
                     d)
            tensors <- tensors.Add(prop.Name, placed)
    metadata, tensors

/// Reads all tensors (on the given spec's device, in their stored dtypes) and the metadata of a file. A file
/// that is not a whole safetensors file (truncated, overwritten, another format) raises InvalidDataException
/// naming it; a missing or unreadable file raises the usual IO exception.
let read (path: string) (device: torch.Device) : Map<string, string> * Map<string, Tensor> =
    try
        readUnchecked path device
    with
    | :? FileNotFoundException
    | :? DirectoryNotFoundException
    | :? UnauthorizedAccessException
    | :? InvalidDataException -> reraise ()
    | e -> raise (InvalidDataException($"{path} is damaged or not a safetensors file ({e.Message.Split('\n').[0]})", e))
