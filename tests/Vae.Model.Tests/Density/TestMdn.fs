module Vae.Model.Tests.Density.TestMdn

open System
open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Density
open Vae.Model.Tests.TestUtil

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

let private context (seed: uint64) (n: int64) = torch.rand ([| n; 3L |], dtype = torch.float64, generator = generator seed) * 2.0 - 1.0

[<Fact>]
let ``the log density is the mixture of full-covariance Gaussians computed from the covariances`` () =
    ensureTorch ()
    let p = spread 1UL
    let s, theta = context 2UL 5L, torch.randn ([| 5L; 2L |], dtype = torch.float64, generator = generator 3UL)
    let logWeights, means, u, _ = Mdn.mixture cfg p s
    // Direct: Sigma = (U'U)^-1, log N = -(d log 2 pi + log det Sigma + r' Sigma^-1 r) / 2.
    let sigma = torch.linalg.inv (u.transpose(-1L, -2L).matmul u)
    let r = (theta.unsqueeze 1L - means).unsqueeze(-1L)
    let quad = r.transpose(-1L, -2L).matmul(torch.linalg.solve (sigma, r)).squeeze(-1L).squeeze(-1L)
    let struct (_, logDet) = torch.linalg.slogdet sigma
    let direct = (logWeights - 0.5 * (2.0 * log (2.0 * Math.PI) + logDet + quad)).logsumexp(1L)
    assertClose 1e-10 1e-10 (toArray direct) (toArray (Mdn.logProb cfg p s theta))

// The density of one context on a grid over [-limit, limit]^2: values [n; n] and the cell width.
let private onGrid (p: Mdn.Params) (s: Tensor) (limit: float) (n: int64) =
    let axis = torch.linspace (-limit, limit, n, dtype = torch.float64)
    let mesh = torch.meshgrid ([| axis; axis |], indexing = "ij")
    let theta = torch.stack ([| mesh.[0].flatten(); mesh.[1].flatten() |], 1L)
    let density = (Mdn.logProb cfg p (s.expand (n * n, 3L)) theta).exp().reshape(n, n)
    axis, density, 2.0 * limit / float (n - 1L)

[<Fact>]
let ``the density integrates to one`` () =
    ensureTorch ()
    let p = spread 4UL
    for i in 0L .. 2L do
        let s = (context 5UL 3L).narrow(0L, i, 1L)
        let _, density, h = onGrid p s 20.0 801L
        Assert.InRange(density.sum().item<float>() * h * h, 0.999, 1.001)

[<Fact>]
let ``samples follow the density: each marginal passes a Kolmogorov-Smirnov test`` () =
    ensureTorch ()
    let p = spread 6UL
    let s = (context 7UL 1L)
    let axis, density, h = onGrid p s 20.0 1601L
    let samples = (Mdn.sample cfg p (generator 8UL) 20000 s).squeeze(0L)
    Assert.Equal<int64[]>([| 20000L; 2L |], samples.shape)
    let grid = toArray axis
    for dim in 0L .. 1L do
        // The marginal's CDF from the grid (trapezoid sums), read between grid points by linear interpolation.
        let marginal = toArray (density.sum (1L - dim)) |> Array.map (fun v -> v * h)
        let cdf = Array.scan (+) 0.0 (Array.pairwise marginal |> Array.map (fun (a, b) -> (a + b) / 2.0 * h))
        let at (x: float) =
            let j = int ((x - grid.[0]) / h) |> max 0 |> min (grid.Length - 2)
            cdf.[j] + (cdf.[j + 1] - cdf.[j]) * (x - grid.[j]) / h |> max 0.0 |> min 1.0
        let sorted = toArray (samples.select(1L, dim).contiguous()) |> Array.sort
        let n = float sorted.Length
        let ks = sorted |> Array.mapi (fun i x -> max (abs (float (i + 1) / n - at x)) (abs (float i / n - at x))) |> Array.max
        // The 1 % critical value for 20,000 samples is 1.63 / sqrt n = 0.0115.
        Assert.InRange(ks, 0.0, 0.0115)

[<Fact>]
let ``fitted to a known conditional Gaussian it recovers its density`` () =
    ensureTorch ()
    // theta = A s + b + L eps: the conditional density and its mean log density (minus its entropy) are known.
    let a = tensor64 [| 3L; 2L |] [| 1.0; -0.5; 0.3; 2.0; 0.0; 0.7 |]
    let b = tensor64 [| 1L; 2L |] [| 0.5; -1.0 |]
    let l = tensor64 [| 2L; 2L |] [| 0.3; 0.0; 0.2; 0.4 |]
    let draw (seed: uint64) (n: int64) =
        let s = context seed n
        s, s.matmul a + b + (torch.randn ([| n; 2L |], dtype = torch.float64, generator = generator (seed + 100UL))).matmul(l.t ())
    let trainS, trainTheta = draw 10UL 4096L
    let testS, testTheta = draw 11UL 2000L
    let small = { cfg with Components = 2; Hidden = 32 }
    let steps = 1500L
    let opt = Nadamw.transform { Nadamw.Config.Defaults with WeightDecay = 0.0 } (Schedule.CosineDecay(5e-3, steps, 0.01, 1.0))
    let p = Mdn.init small TensorSpec.Float64 (generator 12UL)
    let state = Optim.init opt p
    let gen = generator 13UL
    for _ in 1L .. steps do
        use scope = torch.NewDisposeScope()
        let idx = torch.randint (4096L, [| 256L |], generator = gen)
        let loss (q: Mdn.Params) = -(Mdn.logProb small q (trainS.index_select (0L, idx)) (trainTheta.index_select (0L, idx))).mean()
        let _, grads = Grad.valueAndGrad loss p
        Optim.applyInPlace opt grads state p
    let fitted = (Mdn.logProb small p testS testTheta).mean().item<float>()
    // E[log N(theta; A s + b, L L')] = -log 2 pi - log |det L| - 1.
    let truth = -log(2.0 * Math.PI) - log (0.3 * 0.4) - 1.0
    Assert.InRange(fitted, truth - 0.05, truth + 0.05)
