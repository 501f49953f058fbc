module Vae.Model.Tests.Density.TestMdn

open System
open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Density
open Vae.Model.Tests.TestUtil
open Vae.Model.Tests.Density.DensityChecks

let private cfg = { Mdn.defaults 3 2 with Components = 4; Hidden = 16 }

// Parameters with heads scaled up, so the components differ clearly in weight, place and orientation (widths stay
// within what a grid of 0.05 resolves).
let private spread (seed: uint64) =
    let p = Mdn.init cfg TensorSpec.Float64 (generator seed)
    use _ = torch.no_grad ()
    for head, factor in [ p.Logits, 3.0; p.Means, 2.0; p.LogDiagonal, 0.3; p.OffDiagonal, 2.0 ] do
        use f = scalar factor
        head.W.mul_ f |> ignore
    p

[<Fact>]
let ``the log density is the mixture of full-covariance Gaussians computed from the covariances`` () =
    ensureTorch ()
    let p = spread 1UL
    let s, theta = contexts 2UL 5L, torch.randn ([| 5L; 2L |], dtype = torch.float64, generator = generator 3UL)
    let logWeights, means, u, _ = Mdn.mixture cfg p s
    // Direct: Sigma = (U'U)^-1, log N = -(d log 2 pi + log det Sigma + r' Sigma^-1 r) / 2.
    let sigma = torch.linalg.inv (u.transpose(-1L, -2L).matmul u)
    let r = (theta.unsqueeze 1L - means).unsqueeze(-1L)
    let quad = r.transpose(-1L, -2L).matmul(torch.linalg.solve (sigma, r)).squeeze(-1L).squeeze(-1L)
    let struct (_, logDet) = torch.linalg.slogdet sigma
    let direct = (logWeights - 0.5 * (2.0 * log (2.0 * Math.PI) + logDet + quad)).logsumexp(1L)
    assertClose 1e-10 1e-10 (toArray direct) (toArray (Mdn.logProb cfg p s theta))

let private estimator (p: Mdn.Params) : Estimator = { LogProb = Mdn.logProb cfg p; Sample = fun gen count s -> Mdn.sample cfg p gen count s }

[<Fact>]
let ``the density integrates to one`` () =
    ensureTorch ()
    integratesToOne (estimator (spread 4UL))

[<Fact>]
let ``samples follow the density: each marginal passes a Kolmogorov-Smirnov test`` () =
    ensureTorch ()
    samplesFollowTheDensity (estimator (spread 6UL))

[<Fact>]
let ``fitted to a known conditional Gaussian it recovers its density`` () =
    ensureTorch ()
    let small = { cfg with Components = 2; Hidden = 32 }
    let fitted = fitConditionalGaussian (Mdn.logProb small) (Mdn.init small TensorSpec.Float64 (generator 12UL)) 1500L 5e-3
    near 0.05 conditionalGaussianMeanLogDensity fitted
