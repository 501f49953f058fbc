module Vae.Model.Tests.TestNadamwKernel

open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Optim
open Vae.Model.Tests.TestUtil

// Shapes with a partial last vector (15, 63), exact vectors (16) and many vectors (75,000).
let private shapes = [| [| 3L; 5L |]; [| 4L; 4L |]; [| 7L; 9L |]; [| 300L; 250L |] |]

let private leaves (dtype: torch.ScalarType) (seed: uint64) (scale: float) =
    let gen = generator seed
    use factor = scalar scale
    shapes |> Array.map (fun s -> torch.randn(s, dtype = dtype, generator = gen).mul_ factor)

// The same values in a transposed memory order: not contiguous, so NAdamW takes the libtorch operations.
let private strided (t: Tensor) = t.t().contiguous().t()

// Three updates of `opt cfg` from fixed start values and gradients (large enough that some are clipped).
let private runWith opt (cfg: Nadamw.Config) (dtype: torch.ScalarType) (layout: Tensor -> Tensor) =
    let opt = opt cfg (Schedule.constant 0.01)
    let p = leaves dtype 1UL 1.0 |> Array.map layout
    let state = init opt p
    for step in 0L .. 2L do
        applyInPlace opt (leaves dtype (10UL + uint64 step) 2.0 |> Array.map layout) state p
    Array.append p (namedTensors state |> Array.map snd) |> Array.map toArray

let private run = runWith Nadamw.transform

let private configs =
    [ Nadamw.Config.Defaults
      { Nadamw.Config.Defaults with Clip = None; WeightDecay = 0.0 }
      { Nadamw.Config.Defaults with EpsRoot = 1e-6; Eps = 1e-3 }
      { Nadamw.Config.Defaults with WeightDecay = 0.3; Decays = (fun path -> path <> "1") } ]

[<Fact>]
let ``the one-pass kernel gives the update of the libtorch operations`` () =
    ensureTorch ()
    Assert.True(NadamwKernel.applies (leaves torch.ScalarType.Float32 1UL 1.0 |> Array.take 1))
    Assert.False(NadamwKernel.applies [| strided (leaves torch.ScalarType.Float32 1UL 1.0).[0] |])
    for cfg in configs do
        // Absolute tolerances of a few rounding steps at the values' scale (about 1): moments near zero come
        // from cancelling sums and carry only absolute precision.
        for dtype, abs, rel in [ torch.ScalarType.Float64, 1e-14, 1e-12; torch.ScalarType.Float32, 1e-6, 1e-5 ] do
            let fused = run cfg dtype id
            let reference = run cfg dtype strided
            Array.iter2 (assertClose abs rel) reference fused

[<Fact>]
let ``NAdamW applied in place with the kernel equals its chain applied transformation by transformation`` () =
    ensureTorch ()
    for cfg in configs do
        for dtype in [ torch.ScalarType.Float32; torch.ScalarType.Float64 ] do
            // Off the kernel (strided leaves) the in-place application runs the chain itself: the same floats.
            let inPlace, chained = run cfg dtype strided, runWith Nadamw.chain cfg dtype strided
            Assert.True((inPlace = chained), $"{dtype}")
            // On the kernel's leaves, the same values to the kernel's rounding (one pass, its own operation order).
            let abs, rel = if dtype = torch.ScalarType.Float64 then 1e-14, 1e-12 else 1e-6, 1e-5
            Array.iter2 (assertClose abs rel) (runWith Nadamw.chain cfg dtype id) (run cfg dtype id)

[<Fact>]
let ``the update added to the parameters in the kernel's pass equals Update followed by an addition, bit for bit`` () =
    ensureTorch ()
    for cfg in configs do
        for dtype in [ torch.ScalarType.Float32; torch.ScalarType.Float64 ] do
            for layout in [ id; strided ] do
                let opt = Nadamw.transform cfg (Schedule.constant 0.01)
                // Without its fused form, applyInPlace runs Update and then adds the result.
                let separate = { opt with ApplyInPlace = None }
                let fusedP, addedP = leaves dtype 1UL 1.0 |> Array.map layout, leaves dtype 1UL 1.0 |> Array.map layout
                let fusedS, addedS = init opt fusedP, init opt addedP
                // The functional form: optax's update (new updates and state), then params + updates.
                let mutable pureP, pureS = leaves dtype 1UL 1.0 |> Array.map layout, init opt fusedP
                for step in 0L .. 2L do
                    let grads () = leaves dtype (10UL + uint64 step) 2.0 |> Array.map layout
                    applyInPlace opt (grads ()) fusedS fusedP
                    applyInPlace separate (grads ()) addedS addedP
                    let u, s' = update opt (grads ()) pureS pureP
                    pureP <- Array.map2 (fun (p: Tensor) (d: Tensor) -> p + d) pureP u
                    pureS <- s'
                Assert.True(Array.forall2 sameValues addedP fusedP, $"{dtype} {cfg}")
                Assert.True(Array.forall2 sameValues pureP fusedP, $"{dtype} {cfg}")
                Assert.True(Array.forall2 (fun (_, a) (_, b) -> sameValues a b) (namedTensors addedS) (namedTensors fusedS))
                Assert.True(Array.forall2 (fun (_, a) (_, b) -> sameValues a b) (namedTensors pureS) (namedTensors fusedS))
                Assert.Equal(3L, fusedS.Count)

[<Fact>]
let ``a NaN gradient makes the parameter NaN on both paths, as libtorch's clamp does`` () =
    ensureTorch ()
    for layout in [ id; strided ] do
        let opt = Nadamw.transform Nadamw.Config.Defaults (Schedule.constant 0.01)
        let p = [| layout (tensor64 [| 2L; 2L |] [| 1.0; 2.0; 3.0; 4.0 |]) |]
        let g = [| layout (tensor64 [| 2L; 2L |] [| nan; 0.5; 0.5; 0.5 |]) |]
        let u, _ = update opt g (init opt p) p
        let values = toArray u.[0]
        Assert.True(System.Double.IsNaN values.[0])
        Assert.True(values |> Array.skip 1 |> Array.forall System.Double.IsFinite)
