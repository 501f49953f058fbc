/// Checks every conditional density estimator must pass, given its log density and sampler: the density integrates to
/// one on a grid, samples follow it, and fitted to a known conditional Gaussian it recovers that density.
module Vae.Model.Tests.Density.DensityChecks

open System
open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

/// Asserts `value` within `tolerance` of `expected`.
let near (tolerance: float) (expected: float) (value: float) = Assert.InRange(value, expected - tolerance, expected + tolerance)

/// Contexts [n; 3] uniform on [-1, 1], float64.
let contexts (seed: uint64) (n: int64) = torch.rand ([| n; 3L |], dtype = torch.float64, generator = generator seed) * 2.0 - 1.0

/// The density of one context [1; 3] on a grid over [-limit, limit]^2: the axis, values [n; n] and the cell width.
let onGrid (logProb: Tensor -> Tensor -> Tensor) (s: Tensor) (limit: float) (n: int64) =
    let axis = torch.linspace (-limit, limit, n, dtype = torch.float64)
    let mesh = torch.meshgrid ([| axis; axis |], indexing = "ij")
    let theta = torch.stack ([| mesh.[0].flatten(); mesh.[1].flatten() |], 1L)
    // In chunks, each chunk's temporaries freed before the next: a flow holds tens of values per point.
    use _ = torch.no_grad ()
    let chunk = 40000L
    let parts =
        [| for start in 0L .. chunk .. n * n - 1L do
               use _scope = torch.NewDisposeScope()
               let rows = theta.narrow (0L, start, min chunk (n * n - start))
               (logProb (s.expand (rows.shape.[0], s.shape.[1])) rows).exp().MoveToOuterDisposeScope() |]
    axis, torch.cat(parts, 0L).reshape(n, n), 2.0 * limit / float (n - 1L)

/// The density's integral over [-limit, limit]^2 for context `s` (a Riemann sum on n x n points).
let integral (logProb: Tensor -> Tensor -> Tensor) (s: Tensor) (limit: float) (n: int64) =
    let _, density, h = onGrid logProb s limit n
    density.sum().item<float>() * h * h

/// The Kolmogorov-Smirnov statistic of each 1-d marginal of `samples` [m; 2] against the marginal of the density for
/// context `s`, its CDF integrated on a grid.
let ksMarginals (logProb: Tensor -> Tensor -> Tensor) (s: Tensor) (samples: Tensor) =
    let axis, density, h = onGrid logProb s 20.0 1601L
    let grid = toArray axis
    [| for dim in 0L .. 1L ->
           let marginal = toArray (density.sum (1L - dim)) |> Array.map (fun v -> v * h)
           let cdf = Array.scan (+) 0.0 (Array.pairwise marginal |> Array.map (fun (a, b) -> (a + b) / 2.0 * h))
           let at (x: float) =
               let j = int ((x - grid.[0]) / h) |> max 0 |> min (grid.Length - 2)
               cdf.[j] + (cdf.[j + 1] - cdf.[j]) * (x - grid.[j]) / h |> max 0.0 |> min 1.0
           let sorted = toArray (samples.select (1L, dim)) |> Array.sort
           let n = float sorted.Length
           sorted |> Array.mapi (fun i x -> max (abs (float (i + 1) / n - at x)) (abs (float i / n - at x))) |> Array.max |]

/// An estimator with fixed parameters as the checks see it: log q(theta | s) of contexts and thetas, and samples
/// [batch; count; 2] per context.
type Estimator = { LogProb: Tensor -> Tensor -> Tensor; Sample: torch.Generator -> int -> Tensor -> Tensor }

/// The density integrates to one within 1e-3 for three contexts.
let integratesToOne (e: Estimator) =
    for i in 0L .. 2L do
        near 1e-3 1.0 (integral e.LogProb ((contexts 5UL 3L).narrow(0L, i, 1L)) 20.0 801L)

/// 20,000 samples for one context pass a Kolmogorov-Smirnov test of each marginal at the 1 % level.
let samplesFollowTheDensity (e: Estimator) =
    let s = contexts 7UL 1L
    let samples = (e.Sample (generator 8UL) 20000 s).squeeze(0L)
    Assert.Equal<int64[]>([| 20000L; 2L |], samples.shape)
    for ks in ksMarginals e.LogProb s samples do
        Assert.InRange(ks, 0.0, 1.63 / sqrt 20000.0)

/// theta = A s + b + L eps for contexts s: pairs drawn with `seed`.
let conditionalGaussian (seed: uint64) (n: int64) =
    let a = tensor64 [| 3L; 2L |] [| 1.0; -0.5; 0.3; 2.0; 0.0; 0.7 |]
    let b = tensor64 [| 1L; 2L |] [| 0.5; -1.0 |]
    let l = tensor64 [| 2L; 2L |] [| 0.3; 0.0; 0.2; 0.4 |]
    let s = contexts seed n
    s, s.matmul a + b + (torch.randn ([| n; 2L |], dtype = torch.float64, generator = generator (seed + 100UL))).matmul(l.t ())

/// E[log N(theta; A s + b, L L')] of `conditionalGaussian`: -log 2 pi - log |det L| - 1.
let conditionalGaussianMeanLogDensity = -log(2.0 * Math.PI) - log (0.3 * 0.4) - 1.0

/// The mean log density on held-out pairs after fitting `p` to 4,096 pairs of `conditionalGaussian` by NAdamW, on
/// values standardized by the training pairs' statistics, as sbi fits them.
let fitConditionalGaussian (standardized: 'P -> Tensor -> Tensor -> Tensor) (p: 'P) (steps: int64) (rate: float) =
    let trainS, trainTheta = conditionalGaussian 10UL 4096L
    let testS, testTheta = conditionalGaussian 11UL 2000L
    let thetaStats, contextStats = Density.Standardization.fit trainTheta, Density.Standardization.fit trainS
    let logProb (q: 'P) = Density.Standardization.logProb thetaStats contextStats (standardized q)
    let opt = Nadamw.transform { Nadamw.Config.Defaults with WeightDecay = 0.0 } (Schedule.CosineDecay(rate, steps, 0.01, 1.0))
    let state = Optim.init opt p
    let gen = generator 13UL
    for _ in 1L .. steps do
        use scope = torch.NewDisposeScope()
        let idx = torch.randint (4096L, [| 256L |], generator = gen)
        let loss (q: 'P) = -(logProb q (trainS.index_select (0L, idx)) (trainTheta.index_select (0L, idx))).mean()
        let _, grads = Grad.valueAndGrad loss p
        Optim.applyInPlace opt grads state p
    use _ = torch.no_grad ()
    (logProb p testS testTheta).mean().item<float>()

/// Fitting `o.MaxEpochs / 2` epochs, saving the state, loading it and fitting on equals fitting `o.MaxEpochs` in one go,
/// bit for bit (history, parameters, best parameters, optimizer steps).
let resumesBitForBit (settings: Density.Estimator.Settings) (o: Density.Fit.Options) (context: Tensor) (theta: Tensor) =
    let leavesOf (net: Density.Estimator.Net) = Density.Estimator.leaves net |> Array.map toArray
    let data = Density.Fit.splitFor settings o context theta
    let whole = Density.Fit.run o data ignore (Density.Fit.start settings o)
    let path = IO.Path.Combine(IO.Path.GetTempPath(), $"fit-state-{Guid.NewGuid():N}.safetensors")
    try
        let half = Density.Fit.run { o with MaxEpochs = o.MaxEpochs / 2 } data ignore (Density.Fit.start settings o)
        Density.Fit.saveState path o data half
        let resumed = Density.Fit.run o (Density.Fit.splitFor settings o context theta) ignore (Density.Fit.loadState path o)
        Assert.Equal<Density.Fit.Epoch[]>(whole.History, resumed.History)
        Assert.Equal<float[][]>(leavesOf whole.Net, leavesOf resumed.Net)
        Assert.Equal<float[][]>(leavesOf whole.Best, leavesOf resumed.Best)
        Assert.Equal(whole.Optimizer.Count, resumed.Optimizer.Count)
    finally
        IO.File.Delete path
