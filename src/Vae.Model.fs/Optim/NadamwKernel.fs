/// NAdamW's update of one parameter leaf in a single pass over its memory, for contiguous float32 and float64
/// tensors on the CPU. Written as libtorch operations the same update takes ten passes and ten calls per leaf
/// (clip, the moments, the denominator, the update), each of them memory-bound; on the trace Conv-VAE's 6.7
/// million parameters that was a quarter of a training step at batch 16 (docs/training-speed.md).
module Vae.Model.NadamwKernel

// Pointer access to tensor memory (FS0009: unverifiable IL) is the point of this module.
#nowarn "9"

open System
open System.Numerics
open System.Runtime.CompilerServices
open System.Runtime.InteropServices
open Microsoft.FSharp.NativeInterop
open TorchSharp
open Vae.Model.Interop

/// The per-step constants of one update, with Adam's bias corrections and the learning rate folded in:
///   g' = clamp(g, -Clip, Clip),  m' = B1 m + (1 - B1) g',  v' = B2 v + (1 - B2) g'^2,
///   d = sqrt(RootScale v' + EpsRoot) + Eps,  u = Decay p + A (m' / d) + B (g' / d).
/// Clip is +infinity for no clipping; RootScale 1 and EpsRoot 0 give d = sqrt(v') + Eps exactly.
type Coefficients = { Clip: float; B1: float; B2: float; RootScale: float; EpsRoot: float; Eps: float; Decay: float; A: float; B: float }

[<DllImport("LibTorchSharp", EntryPoint = "THSTensor_data")>]
extern nativeint private tensorData(nativeint handle)

/// Whether `kernel` can run on these tensors: same element count, all contiguous on the CPU, all float32 or
/// all float64.
let applies (tensors: Tensor[]) : bool =
    let first = tensors.[0]
    let dtype = first.dtype
    (dtype = torch.ScalarType.Float32 || dtype = torch.ScalarType.Float64)
    && tensors |> Array.forall (fun t -> t.dtype = dtype && t.device_type = DeviceType.CPU && t.is_contiguous () && t.numel () = first.numel ())

// The update of a leaf's `count` elements; constants as vectors of the element type. The last partial
// vector goes through the same vector code on a zero-padded copy, so every element is rounded alike.
// With `intoParams` the parameter becomes p + u (rounded as p.add_(u) of the stored u would be) and the
// gradient is left as it was; otherwise u is written over the gradient.
let inline private pass< ^T when ^T: unmanaged and ^T: (new: unit -> ^T) and ^T: struct and ^T :> ValueType>
    (c: Vector< ^T >[])
    (intoParams: bool)
    (g: nativeint)
    (m: nativeint)
    (v: nativeint)
    (p: nativeint)
    (count: int64)
    =
    let lo, hi, b1, a1, b2, a2, rs, er, eps, decay, a, b = c.[0], c.[1], c.[2], c.[3], c.[4], c.[5], c.[6], c.[7], c.[8], c.[9], c.[10], c.[11]
    let width = int64 Vector< ^T>.Count
    let size = int64 sizeof< ^T>
    let inline step (gv: Vector< ^T >) (mv: Vector< ^T >) (vv: Vector< ^T >) (pv: Vector< ^T >) =
        let g' = Vector.Min(Vector.Max(gv, lo), hi)
        let m' = mv * b1 + g' * a1
        let v' = vv * b2 + g' * g' * a2
        let d = Vector.SquareRoot(v' * rs + er) + eps
        struct (m', v', pv * decay + a * (m' / d) + b * (g' / d))
    let inline at (basePtr: nativeint) (i: int64) = NativePtr.ofNativeInt<Vector< ^T >>(basePtr + nativeint (i * size))
    let full = count / width * width
    let mutable i = 0L
    while i < full do
        let pv = NativePtr.read (at p i)
        let struct (m', v', u) = step (NativePtr.read (at g i)) (NativePtr.read (at m i)) (NativePtr.read (at v i)) pv
        NativePtr.write (at m i) m'
        NativePtr.write (at v i) v'
        if intoParams then NativePtr.write (at p i) (pv + u) else NativePtr.write (at g i) u
        i <- i + width
    let rest = int (count - full)
    if rest > 0 then
        let load (basePtr: nativeint) =
            let buffer = Array.zeroCreate< ^T>(int width)
            let source = Span< ^T>((basePtr + nativeint (i * size)).ToPointer(), rest)
            source.CopyTo(Span< ^T>(buffer))
            Vector< ^T>(buffer)
        let store (basePtr: nativeint) (x: Vector< ^T >) =
            let buffer = Array.zeroCreate< ^T>(int width)
            x.CopyTo(buffer)
            Span< ^T>(buffer, 0, rest).CopyTo(Span< ^T>((basePtr + nativeint (i * size)).ToPointer(), rest))
        let pv = load p
        let struct (m', v', u) = step (load g) (load m) (load v) pv
        store m m'
        store v v'
        if intoParams then store p (pv + u) else store g u

// Concrete instances, compiled optimized from the first call: tiered compilation's first tier runs vector
// code several times slower and would serve the first training steps.
[<MethodImpl(MethodImplOptions.AggressiveOptimization)>]
let private pass32 (c: Vector<float32>[]) intoParams g m v p count = pass c intoParams g m v p count

[<MethodImpl(MethodImplOptions.AggressiveOptimization)>]
let private pass64 (c: Vector<float>[]) intoParams g m v p count = pass c intoParams g m v p count

/// Where `run` puts the update u of each leaf.
type Target =
    /// Over the gradient (its buffer is donated); the parameter is only read.
    | IntoGradients
    /// Added to the parameter in the same pass (`p.add_(u)` without u's own pass over memory); the gradient is
    /// only read.
    | IntoParameters

/// One NAdamW update of each leaf i: the moments `m.[i]`, `v.[i]` are updated in place and the update u goes to
/// `target`. Every leaf must satisfy `applies`. Runs on the calling thread: on 2 cores, spreading it over a second
/// thread brought no consistent gain in whole training steps (libtorch's idle workers keep spinning on the cores
/// meanwhile), so the simpler form.
let run (k: Coefficients) (target: Target) (g: Tensor[]) (m: Tensor[]) (v: Tensor[]) (p: Tensor[]) : unit =
    let constants = [| -k.Clip; k.Clip; k.B1; 1.0 - k.B1; k.B2; 1.0 - k.B2; k.RootScale; k.EpsRoot; k.Eps; k.Decay; k.A; k.B |]
    let vectors32 = constants |> Array.map (fun x -> Vector<float32>(float32 x))
    let vectors64 = constants |> Array.map (fun x -> Vector<float>(x))
    let intoParams = (target = IntoParameters)
    for leaf in 0 .. g.Length - 1 do
        let gp, mp, vp, pp = tensorData g.[leaf].Handle, tensorData m.[leaf].Handle, tensorData v.[leaf].Handle, tensorData p.[leaf].Handle
        if g.[leaf].dtype = torch.ScalarType.Float32 then
            pass32 vectors32 intoParams gp mp vp pp (g.[leaf].numel())
        else
            pass64 vectors64 intoParams gp mp vp pp (g.[leaf].numel())
