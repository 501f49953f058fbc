module Vae.Model.Tests.Density.TestCalibration

open System
open Xunit
open Vae.Model.Density
open Vae.Model.Density.Calibration
open Vae.Model.Tests.TestUtil

// Standard normal draws (Box-Muller) from a seeded Random.
let private normals (rng: Random) (n: int) =
    Array.init n (fun _ -> sqrt (-2.0 * log (1.0 - rng.NextDouble())) * cos (2.0 * Math.PI * rng.NextDouble()))

// The conjugate model theta ~ N(0, I_2), s = theta + sigma eps: the posterior is N(s / (1 + sigma^2), sigma^2 / (1 +
// sigma^2)) per dimension. Returns the truths [point][dim], the exact posterior's means and std.
let private sigma = 0.5
let private postStd = sqrt (sigma * sigma / (1.0 + sigma * sigma))

let private model (seed: int) (points: int) =
    let rng = Random seed
    let theta = Array.init points (fun _ -> normals rng 2)
    let s = theta |> Array.map (Array.map (fun t -> t + sigma * (normals rng 1).[0]))
    theta, s |> Array.map (Array.map (fun x -> x / (1.0 + sigma * sigma)))

// Samples from N(mean + shift, (scale postStd)^2) per point and dimension, and the log density of that Gaussian.
let private posterior (seed: int) (count: int) (scale: float) (shift: float) (means: float[][]) =
    let rng = Random seed
    let std = scale * postStd
    let values = Array.zeroCreate (means.Length * count * 2)
    for i in 0 .. means.Length - 1 do
        for j in 0 .. count - 1 do
            for d in 0..1 do
                values.[(i * count + j) * 2 + d] <- means.[i].[d] + shift + std * (normals rng 1).[0]
    let logQ (i: int) (x: float[]) =
        x |> Array.mapi (fun d v -> -0.5 * log (2.0 * Math.PI * std * std) - 0.5 * ((v - means.[i].[d] - shift) / std) ** 2.0) |> Array.sum
    { Points = means.Length; Count = count; Dim = 2; Values = values }, logQ

let private hpd (truth: float[][]) (s: Samples) (logQ: int -> float[] -> float) =
    let sampleLogQ = Array.init (s.Points * s.Count) (fun k -> logQ (k / s.Count) [| s.Values.[2 * k]; s.Values.[2 * k + 1] |])
    hpdLevels (Array.mapi logQ truth) sampleLogQ

[<Fact>]
let ``the Kolmogorov survival function and the KS p-value match known values`` () =
    // 2 sum (-1)^(k-1) exp(-2 k^2 l^2) to 200 terms; 1.2238, 1.3581, 1.6276 are the 10, 5 and 1 % critical values.
    for l, q in
        [ 0.5, 0.9639452436648751
          0.8, 0.5441424115741981
          1.0, 0.26999967167735456
          1.2238, 0.1000234278356778
          1.3581, 0.0499996304316674
          1.6276, 0.010001537333060776 ] do
        assertClose 1e-12 0.0 [| q |] [| kolmogorovSurvival l |]
    Assert.Equal(1.0, kolmogorovSurvival 0.0)
    // Stephens' scaling of the statistic.
    assertClose 1e-15 0.0 [| kolmogorovSurvival ((10.0 + 0.12 + 0.011) * 0.1) |] [| ksPValue 100 0.1 |]
    // Every rank once: the empirical CDF is the uniform's, D = 0.
    Assert.Equal(0.0, ranksKsStatistic 9 [| 0..9 |])
    Assert.Equal(0.5, ranksKsStatistic 1 [| 1; 1 |])

[<Fact>]
let ``the exact posterior passes SBC and covers at the nominal levels`` () =
    let truth, means = model 1 1000
    let s, logQ = posterior 2 100 1.0 0.0 means
    let ranks = sbcRanks truth s
    for p in sbcPValues 100 ranks do
        Assert.True(p > 0.01, $"SBC p = {p}")
    let levels = hpd truth s logQ
    for level in [ 0.5; 0.8; 0.95 ] do
        assertClose 0.04 0.0 [| level |] [| coverage levels level |]
    let hist = rankHistogram 100 10 (ranks |> Array.map (fun r -> r.[0]))
    Assert.Equal(1000, Array.sum hist)
    Assert.Equal(10, hist.Length)
    let grid, curve = coverageCurve 20 levels
    Assert.Equal(21, grid.Length)
    Assert.Equal(0.0, curve.[0])
    // Level 1 excludes the truths below every sample's log q (1 in count + 1 of them).
    Assert.InRange(curve.[20], 0.98, 1.0)
    Assert.True(Array.pairwise curve |> Array.forall (fun (a, b) -> b >= a))

[<Fact>]
let ``an over-confident posterior (std halved) fails SBC and under-covers`` () =
    let truth, means = model 1 1000
    let s, logQ = posterior 2 100 0.5 0.0 means
    for p in sbcPValues 100 (sbcRanks truth s) do
        Assert.True(p < 1e-3, $"SBC p = {p}")
    let levels = hpd truth s logQ
    // Nominal 80 % HPD of the halved Gaussian holds the truth with P(chi2_2 < 4 x 3.22) = 1 - exp(-6.44 / 2 / 4) ~ 0.33.
    Assert.InRange(coverage levels 0.8, 0.0, 0.45)

[<Fact>]
let ``TARP's area to the curve is near 0 for the exact posterior, negative too narrow, positive too wide`` () =
    let truth, means = model 3 1000
    let run scale shift = tarp 5 100 truth (fst (posterior 4 200 scale shift means))
    let exact = run 1.0 0.0
    Assert.Equal(101, exact.Alpha.Length)
    Assert.Equal(1.0, exact.Ecp.[100], 12)
    Assert.InRange(exact.Atc, -0.02, 0.02)
    // Python's simulation of the same set-up gives -0.068 and +0.073.
    Assert.InRange((run 0.5 0.0).Atc, -1.0, -0.04)
    Assert.InRange((run 2.0 0.0).Atc, 0.04, 1.0)
    // Seeded: the same references, the same curve.
    Assert.Equal<float[]>(exact.Ecp, (run 1.0 0.0).Ecp)

[<Fact>]
let ``a biased posterior bends TARP's curve symmetrically: the area stays small, the curve leaves the diagonal`` () =
    let truth, means = model 3 1000
    let deviation (t: Tarp) = Array.map2 (fun e a -> abs (e - a)) t.Ecp t.Alpha |> Array.max
    let exact = tarp 5 100 truth (fst (posterior 4 200 1.0 0.0 means))
    let biased = tarp 5 100 truth (fst (posterior 4 200 1.0 (3.0 * postStd) means))
    // With references drawn at random the truth is as often nearer as farther than the shifted samples (Lemos et al.).
    Assert.InRange(biased.Atc, -0.03, 0.03)
    Assert.InRange(deviation exact, 0.0, 0.06)
    Assert.InRange(deviation biased, 0.1, 1.0)

[<Fact>]
let ``the bootstrap interval holds the mean, has the normal width and repeats for a seed`` () =
    let values = normals (Random 6) 2000
    let a = bootstrapMean 7 2000 0.95 values
    Assert.Equal(Array.average values, a.Estimate)
    Assert.InRange(a.Estimate, a.Low, a.High)
    // About 2 x 1.96 / sqrt 2000 = 0.088 wide.
    Assert.InRange(a.High - a.Low, 0.075, 0.1)
    Assert.Equal(a, bootstrapMean 7 2000 0.95 values)
    Assert.NotEqual(a, bootstrapMean 8 2000 0.95 values)

[<Fact>]
let ``the information bound of the exact conditional recovers the Gaussian pair's mutual information`` () =
    // theta ~ N(0, 1), s = theta + sigma eps: I = ln(1 + 1 / sigma^2) / 2; H(theta) = ln(2 pi e) / 2.
    let rng = Random 9
    let theta = normals rng 5000
    let s = theta |> Array.map (fun t -> t + sigma * (normals rng 1).[0])
    let v = postStd * postStd
    let logQ = Array.map2 (fun t x -> -0.5 * log (2.0 * Math.PI * v) - 0.5 * (t - x / (1.0 + sigma * sigma)) ** 2.0 / v) theta s
    let bound = informationBound (0.5 * log (2.0 * Math.PI * Math.E)) 10 1000 0.95 logQ
    let exact = 0.5 * log (1.0 + 1.0 / (sigma * sigma))
    Assert.InRange(exact, bound.Low, bound.High)
    assertClose 0.05 0.0 [| exact |] [| bound.Estimate |]

[<Fact>]
let ``moments and contraction of the exact posterior and the uniform box's entropy and variance`` () =
    let _, means = model 1 300
    let s, _ = posterior 2 400 1.0 0.0 means
    let m, sd = posteriorMoments s
    assertClose 0.1 0.0 [| postStd |] [| sd |> Array.averageBy (fun r -> r.[0]) |]
    assertClose 0.1 0.0 (Array.map Array.average means) (Array.map Array.average m)
    // Prior variance 1: contraction 1 - sigma^2 / (1 + sigma^2) = 0.8.
    assertClose 0.02 0.0 [| 0.8; 0.8 |] (contraction [| 1.0; 1.0 |] s)
    assertClose 1e-15 0.0 [| log 2.0 + log 0.5 |] [| uniformBoxEntropy [| 0.0; 1.0 |] [| 2.0; 1.5 |] |]
    assertClose 1e-15 0.0 [| 4.0 / 12.0 |] (uniformBoxVariance [| 1.0 |] [| 3.0 |])
