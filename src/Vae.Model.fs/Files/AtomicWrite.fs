/// Writing a file whole: under a temporary name beside the target, renamed into place when complete, so a reader
/// never sees a partial file. The model library's own (it cannot use the simulation library's `AtomicFile`, which
/// the layers above it use): its files are checkpoints, model weights and the patched native library.
module Vae.Model.AtomicWrite

open System
open System.IO

/// Calls `writeTo` with a temporary path beside `path`, then renames it to `path` (replacing it). The name is the
/// writer's own, and a failed write (a full disk) removes it: only complete files are ever left.
let write (path: string) (writeTo: string -> unit) : unit =
    let tmp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"
    try
        writeTo tmp
        File.Move(tmp, path, true)
    with _ ->
        File.Delete tmp
        reraise ()
