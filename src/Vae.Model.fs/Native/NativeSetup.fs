/// Makes TorchSharp's native library load on every supported machine. Call `NativeSetup.initialize ()` once
/// before any tensor operation (the host, the tests and scripts do); later calls return the first result.
///
/// Why: TorchSharp 0.107's libLibTorchSharp.so declares a need for GLIBCXX_3.4.32 (GCC 13) through a link-time
/// marker symbol it never calls. Where the system libstdc++ is older (Debian 12, Ubuntu 22.04), the library
/// will not load. We then load a private copy in which that one requirement is marked weak, cached per user.
module Vae.Model.NativeSetup

open System
open System.IO
open System.Runtime.InteropServices
open System.Security.Cryptography
open TorchSharp

/// How the native library was made available.
type NativeStatus =
    /// The packaged library loaded as it is (newer libstdc++, or not Linux).
    | Packaged of path: string
    /// A copy with the GLIBCXX_3.4.32 requirement marked weak was loaded from the per-user cache.
    | PatchedCopy of original: string * copy: string

/// Thrown when the native library cannot be loaded even after preparation.
exception NativeLoadException of string

[<Literal>]
let private LibName = "libLibTorchSharp.so"

[<Literal>]
let private MarkerVersion = "GLIBCXX_3.4.32"

let private fail msg = raise (NativeLoadException msg)

/// Directories where the runtime and TorchSharp look for native assets, in their order.
let private candidateDirs () =
    let rid = RuntimeInformation.RuntimeIdentifier
    let arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()
    let fromHost =
        match AppContext.GetData "NATIVE_DLL_SEARCH_DIRECTORIES" with
        | :? string as s -> s.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries) |> List.ofArray
        | _ -> []
    let torchDir = Path.GetDirectoryName(typeof<torch.Tensor>.Assembly.Location)
    let besideAssemblies =
        [ for d in [ torchDir; AppContext.BaseDirectory ] do
              yield d
              for r in [ rid; $"linux-{arch}" ] do
                  yield Path.Combine(d, "runtimes", r, "native") ]
    // Running from the NuGet cache (e.g. `#r "nuget: ..."`): the natives sit in sibling packages.
    let packagesRoot = Path.GetFullPath(Path.Combine(torchDir, "..", "..", "..", ".."))
    let fromPackages =
        [ for pkg in [ "torchsharp"; "libtorch-cpu-linux-x64" ] do
              let p = Path.Combine(packagesRoot, pkg)
              if Directory.Exists p then
                  for v in Directory.GetDirectories p do
                      yield Path.Combine(v, "runtimes", $"linux-{arch}", "native") ]
    fromHost @ besideAssemblies @ fromPackages |> List.distinct

let private findIn dirs file = dirs |> List.map (fun d -> Path.Combine(d, file)) |> List.tryFind File.Exists

let private cacheRoot () =
    match Environment.GetEnvironmentVariable "FUNCTIONALVAE_NATIVE_CACHE" with
    | null
    | "" ->
        let xdg = Environment.GetEnvironmentVariable "XDG_CACHE_HOME"
        let root = if String.IsNullOrEmpty xdg then Path.Combine(Environment.GetFolderPath Environment.SpecialFolder.UserProfile, ".cache") else xdg
        Path.Combine(root, "functionalvae", "native")
    | dir -> dir

/// The patched copy for `original`, created on first use. Keyed by the original's content hash, written
/// whole (`AtomicWrite`), so concurrent processes never see a partial file.
let preparePatchedCopy (cacheDir: string) (original: string) : string =
    let bytes = File.ReadAllBytes original
    let key = Convert.ToHexString(SHA256.HashData bytes).Substring(0, 16).ToLowerInvariant()
    let dir = Path.Combine(cacheDir, key)
    let target = Path.Combine(dir, LibName)
    if not (File.Exists target) then
        Directory.CreateDirectory dir |> ignore
        let patched = ElfVersionPatch.markWeak "libstdc++.so.6" MarkerVersion bytes
        AtomicWrite.write target (fun tmp -> File.WriteAllBytes(tmp, patched))
    target

let private tryLoad (path: string) =
    try
        Ok(NativeLibrary.Load path)
    with ex ->
        Error ex.Message

/// Full path of the packaged libLibTorchSharp.so that this process would load (Linux).
let packagedLibraryPath () : string =
    let dirs = candidateDirs ()
    match findIn dirs LibName with
    | Some p -> p
    | None ->
        let looked = String.concat "; " dirs
        fail (
            $"TorchSharp's native library {LibName} was not found (looked in: {looked}). "
            + "Restore the packages (dotnet restore) and make sure TorchSharp-cpu is referenced."
        )

let private prepareLinux () =
    let dirs = candidateDirs ()
    let original = packagedLibraryPath ()
    // Its dependencies (libtorch.so and the rest) load first, by full path, so that the copy in the cache,
    // whose $ORIGIN differs, finds them already loaded by soname.
    let libtorchDir =
        match findIn (Path.GetDirectoryName original :: dirs) "libtorch.so" with
        | Some p -> Path.GetDirectoryName p
        | None -> fail "libtorch.so was not found: restore the packages (libtorch-cpu-linux-x64 is missing)."
    match tryLoad (Path.Combine(libtorchDir, "libtorch.so")) with
    | Error msg -> fail $"libtorch could not be loaded: {msg}"
    | Ok _ -> ()
    match tryLoad original with
    | Ok _ -> Packaged original
    | Error msg when msg.Contains MarkerVersion ->
        let copy = preparePatchedCopy (cacheRoot ()) original
        match tryLoad copy with
        | Ok _ -> PatchedCopy(original, copy)
        | Error msg2 -> fail $"TorchSharp's native library could not be loaded, even patched: {msg2}"
    | Error msg -> fail $"TorchSharp's native library could not be loaded: {msg}"

let private status =
    lazy
        (let s = if RuntimeInformation.IsOSPlatform OSPlatform.Linux then prepareLinux () else Packaged(typeof<torch.Tensor>.Assembly.Location)
         try
             torch.InitializeDeviceType DeviceType.CPU
         with ex ->
             fail $"TorchSharp failed to initialize its CPU backend: {ex.Message}"
         s)

/// Prepares and loads the native library (idempotent, thread-safe). Raises `NativeLoadException` with a
/// one-line explanation if it cannot be loaded.
let initialize () : NativeStatus = status.Force()

/// Sets the number of threads libtorch uses for intra-op parallelism (all cores when `None`) and returns it.
/// libtorch may otherwise pick 1 on small machines.
let setThreads (threads: int option) : int =
    let n = defaultArg threads Environment.ProcessorCount
    if n < 1 then invalidArg "threads" $"thread count must be at least 1, got {n}"
    initialize () |> ignore
    torch.set_num_threads n
    n

/// Runs `f` with libtorch's intra-op threads set to `threads`, then sets them back. Why: networks as small as a
/// posterior estimator's (layers of 50 on batches of 200) gain nothing from a second thread, and when other work
/// holds the cores their OpenMP threads spin waiting for each other: an epoch of an MDN fit took 3.4 s on two threads
/// and 0.29 s on one on a busy 2-core machine (docs/inference.md).
let withThreads (threads: int) (f: unit -> 'T) : 'T =
    if threads < 1 then invalidArg "threads" $"thread count must be at least 1, got {threads}"
    let before = torch.get_num_threads ()
    torch.set_num_threads threads
    try
        f ()
    finally
        torch.set_num_threads before

/// `withThreads` for C# callers.
let WithThreads (threads: int, f: Func<'T>) : 'T = withThreads threads f.Invoke

// at::globalContext() and at::Context::setFlushDenormal(bool), exported by libtorch_cpu (Itanium C++ names:
// Linux and macOS; not found on Windows, where flushDenormals returns false).
[<DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")>]
extern nativeint private atGlobalContext()

[<DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context16setFlushDenormalEb")>]
extern byte private atSetFlushDenormal(nativeint context, byte on)

/// Turns on flush-to-zero and denormals-are-zero for float arithmetic on the calling thread, as PyTorch's
/// `torch.set_flush_denormal(True)`; threads created afterwards (libtorch's intra-op pool among them) inherit it,
/// so call it before the first parallel tensor operation. Returns false where the CPU or platform does not
/// support it.
///
/// Why: Adam's first moments of weights whose gradient is zero most of the time decay by 0.9 per step through
/// the float32 denormal range (below 1.2e-38), where every vector instruction that touches one runs about ten
/// times slower. At epoch 17 of a trace Conv-VAE run, 45 % of the first moments of its 3.3-million-weight
/// dense layer were denormal (docs/training-speed.md has the measured cost). Values that small are zero for every
/// purpose here; flushed, they no longer cost time. A process-wide choice, so the host makes it (see `configure`).
let flushDenormals () : bool =
    initialize () |> ignore
    try
        atSetFlushDenormal (atGlobalContext (), 1uy) <> 0uy
    with
    | :? EntryPointNotFoundException
    | :? DllNotFoundException -> false

/// The set-up of a process that computes with libtorch: loads it (`initialize`), flushes denormals
/// (`flushDenormals`, before libtorch starts its threads) and sets the thread count (`setThreads`). Returns
/// the thread count.
let configure (threads: int option) : int =
    flushDenormals () |> ignore
    setThreads threads

[<DllImport("libc", EntryPoint = "mallopt")>]
extern int private mallopt(int param, int value)

// Applies glibc `mallopt` (parameter, value) pairs; false where they do not apply (not Linux, not glibc).
let private applyMallocSettings (settings: (int * int) list) : bool =
    if not (RuntimeInformation.IsOSPlatform OSPlatform.Linux) then
        false
    else
        try
            // mallopt returns 1 on success.
            settings |> List.forall (fun (param, value) -> mallopt (param, value) = 1)
        with
        | :? EntryPointNotFoundException
        | :? DllNotFoundException -> false

/// glibc `mallopt` (parameter, value) pairs of `reuseLargeAllocations`: M_MMAP_THRESHOLD (-3) 32 MB,
/// M_TRIM_THRESHOLD (-1) 1 GB, M_TOP_PAD (-2) 256 MB.
let largeAllocationSettings = [ -3, 32 * 1024 * 1024; -1, 1024 * 1024 * 1024; -2, 256 * 1024 * 1024 ]

/// Makes glibc's malloc keep libtorch's large temporaries (activations and gradients of tens of MB) in its
/// heap for reuse instead of mapping and unmapping them on every step: mmap threshold at its 32 MB maximum,
/// trimming only above 1 GB, 256 MB of top padding. Same results; measured on the trace Conv-VAE (2 cores):
/// 82 s -> 59 s per epoch and peak resident memory 2.85 -> 1.98 GB. A process-wide setting, so the host applies
/// it for training runs rather than the library on its own. Returns false where it does not apply (not glibc).
let reuseLargeAllocations () : bool = applyMallocSettings largeAllocationSettings

[<DllImport("libc", EntryPoint = "malloc_trim")>]
extern int private malloc_trim(unativeint pad)

/// glibc `mallopt` (parameter, value) pairs of `releaseLargeAllocations`: M_MMAP_THRESHOLD (-3) 4 MB,
/// M_TRIM_THRESHOLD (-1) 32 MB, M_TOP_PAD (-2) 0.
let releasingAllocationSettings = [ -3, 4 * 1024 * 1024; -1, 32 * 1024 * 1024; -2, 0 ]

/// The opposite trade for work that allocates large temporaries a few times rather than every step (evaluation,
/// encoding, the analysis' passes over a dataset): blocks of 4 MB and more are mapped and unmapped, so memory freed
/// goes back to the system, and what the heap kept is returned now (`malloc_trim`). Without it glibc raises its
/// mmap threshold as large blocks are freed and keeps them in the heap: a PCA of 8,000 traces held 1.67 GB instead
/// of 0.68 GB (measured). Same results. Returns false where it does not apply (not glibc).
let releaseLargeAllocations () : bool =
    applyMallocSettings releasingAllocationSettings
    && (try
            malloc_trim 0un |> ignore
            true
        with
        | :? EntryPointNotFoundException
        | :? DllNotFoundException -> false)

/// A one-line description of the native setup, for logs.
let describe (s: NativeStatus) =
    match s with
    | Packaged p -> $"libtorch loaded from {Path.GetDirectoryName p}"
    | PatchedCopy(_, c) -> $"libtorch loaded with a patched LibTorchSharp ({MarkerVersion} marked weak) from {c}"
