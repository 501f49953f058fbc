module Vae.Model.Tests.Density.TestSplineFlow

open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Density
open Vae.Model.Tests.TestUtil
open Vae.Model.Tests.Density.DensityChecks

let private cfg = { SplineFlow.defaults 3 2 with Transforms = 3; Hidden = 16; Bins = 6 }

// Parameters whose splines are far from the identity (the output layers are initialized small).
let private bent (seed: uint64) =
    let p = SplineFlow.init cfg TensorSpec.Float64 (generator seed)
    use _ = torch.no_grad ()
    use factor = scalar 20.0
    for conditioners in p.Transforms do
        for c in conditioners do
            c.Out.W.mul_ factor |> ignore
    p

[<Fact>]
let ``the inverse undoes the flow`` () =
    ensureTorch ()
    let p = bent 1UL
    let s = contexts 2UL 500L
    let theta = torch.randn ([| 500L; 2L |], dtype = torch.float64, generator = generator 3UL) * 2.0
    let z, _ = SplineFlow.forward cfg p s theta
    assertClose 1e-8 1e-8 (toArray theta) (toArray (SplineFlow.inverse cfg p s z))

[<Fact>]
let ``the log-determinant is that of the Jacobian autograd computes`` () =
    ensureTorch ()
    let p = bent 4UL
    let s = contexts 5UL 50L
    let theta = (torch.randn ([| 50L; 2L |], dtype = torch.float64, generator = generator 6UL) * 2.0).requires_grad_(true)
    let z, logDet = SplineFlow.forward cfg p s theta
    // Row j of each example's Jacobian: the gradient of output j summed over the batch (examples are independent).
    let rows = [| for j in 0L .. 1L -> (torch.autograd.grad ([| z.select(1L, j).sum() |], [| theta |], retain_graph = true)).[0] |]
    let jacobian = torch.stack (rows, 1L)
    let struct (_, logAbsDet) = torch.linalg.slogdet jacobian
    assertClose 1e-9 1e-9 (toArray logAbsDet) (toArray logDet)

let private estimator (p: SplineFlow.Params) : Estimator =
    { LogProb = SplineFlow.logProb cfg p; Sample = fun gen count s -> SplineFlow.sample cfg p gen count s }

[<Fact>]
let ``the density integrates to one`` () =
    ensureTorch ()
    integratesToOne (estimator (bent 4UL))

[<Fact>]
let ``samples follow the density: each marginal passes a Kolmogorov-Smirnov test`` () =
    ensureTorch ()
    samplesFollowTheDensity (estimator (bent 6UL))
