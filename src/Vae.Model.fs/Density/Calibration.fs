/// Diagnostics of a posterior estimator q(theta | s) on test pairs, as pure functions of float arrays: the mean log
/// density and the information bound it gives, with bootstrap intervals; posterior means, widths and contraction;
/// simulation-based calibration (Talts et al. 2018); expected coverage of highest-density regions (sbi's
/// `expected_coverage`, ranks by log density); TARP (Lemos et al. 2023). Posterior samples are flat row-major
/// [point; sample; dim] arrays, as `Tensor` [batch; count; dim] lays them out.
module Vae.Model.Density.Calibration

open System
open Vae.Model.Interop

/// Posterior samples of test points: `Values` holds Points x Count x Dim numbers, row-major.
type Samples =
    { Points: int
      Count: int
      Dim: int
      Values: float[] }

    /// Sample j of point i, dimension d.
    member s.At(i: int, j: int, d: int) = s.Values.[(i * s.Count + j) * s.Dim + d]

    /// The samples of a tensor [points; count; dim] (e.g. from `Estimator.sample`), as float64.
    static member OfTensor(t: Tensor) = { Points = int t.shape.[0]; Count = int t.shape.[1]; Dim = int t.shape.[2]; Values = toArray t }

/// A statistic with a (bootstrap) interval.
type Interval = { Estimate: float; Low: float; High: float }

/// The mean of `values` and its percentile bootstrap interval at `level` (e.g. 0.95) from `resamples` resamples drawn
/// with `Random(seed)`: the same numbers for the same seed.
let bootstrapMean (seed: int) (resamples: int) (level: float) (values: float[]) : Interval =
    if values.Length = 0 then invalidArg "values" "nothing to average"
    if resamples < 1 || not (level > 0.0 && level < 1.0) then invalidArg "level" $"need resamples >= 1 and 0 < level < 1, got {resamples}, {level}"
    let rng = Random seed
    let n = values.Length
    let means =
        Array.init resamples (fun _ ->
            let mutable sum = 0.0
            for _ in 1..n do
                sum <- sum + values.[rng.Next n]
            sum / float n)
        |> Array.sort
    // numpy's percentile with linear interpolation.
    let percentile (q: float) =
        let position = q * float (resamples - 1)
        let lo = int (floor position)
        let hi = min (resamples - 1) (lo + 1)
        means.[lo] + (means.[hi] - means.[lo]) * (position - float lo)
    { Estimate = Array.average values; Low = percentile ((1.0 - level) / 2.0); High = percentile ((1.0 + level) / 2.0) }

/// The entropy (nats) of a uniform prior on a box: sum of ln(high - low).
let uniformBoxEntropy (low: float[]) (high: float[]) : float = Array.map2 (fun l h -> log (h - l)) low high |> Array.sum

/// The variance of each parameter under a uniform prior on a box: width^2 / 12.
let uniformBoxVariance (low: float[]) (high: float[]) : float[] = Array.map2 (fun l h -> (h - l) * (h - l) / 12.0) low high

/// The lower bound on the mutual information I(theta; s) >= H(theta) + E[log q(theta | s)] (Barber & Agakov 2003), in
/// nats, from the prior's entropy and log q of the test pairs' true theta, with the bootstrap interval of the mean.
let informationBound (priorEntropy: float) (seed: int) (resamples: int) (level: float) (logQ: float[]) : Interval =
    let m = bootstrapMean seed resamples level logQ
    { Estimate = priorEntropy + m.Estimate; Low = priorEntropy + m.Low; High = priorEntropy + m.High }

/// Per point and dimension, the posterior samples' mean and standard deviation (n - 1): two [point][dim] arrays.
let posteriorMoments (s: Samples) : float[][] * float[][] =
    let moments i d =
        let xs = Array.init s.Count (fun j -> s.At(i, j, d))
        let mean = Array.average xs
        mean, sqrt ((xs |> Array.sumBy (fun x -> (x - mean) * (x - mean))) / float (max 1 (s.Count - 1)))
    let all = Array.init s.Points (fun i -> Array.init s.Dim (moments i))
    all |> Array.map (Array.map fst), all |> Array.map (Array.map snd)

/// The posterior contraction of each parameter, 1 - E[var_post] / var_prior, averaged over points: 0 when the data
/// teach nothing, 1 when they pin the parameter down.
let contraction (priorVariance: float[]) (s: Samples) : float[] =
    let _, std = posteriorMoments s
    Array.init s.Dim (fun d -> 1.0 - (std |> Array.averageBy (fun r -> r.[d] * r.[d])) / priorVariance.[d])

/// The Kolmogorov distribution's survival function Q(lambda) = P(K > lambda) = 2 sum_k (-1)^(k-1) exp(-2 k^2 lambda^2),
/// the limit of P(sqrt n D_n > lambda); the theta-function form sqrt(2 pi) / lambda sum_k exp(-(2k-1)^2 pi^2 / (8
/// lambda^2)) below lambda = 1, where the first converges slowly.
let kolmogorovSurvival (lambda: float) : float =
    if lambda <= 0.0 then
        1.0
    elif lambda < 1.0 then
        let c = -Math.PI * Math.PI / (8.0 * lambda * lambda)
        let sum = Seq.sum (seq { for k in 1..20 -> exp (float ((2 * k - 1) * (2 * k - 1)) * c) })
        1.0 - sqrt (2.0 * Math.PI) / lambda * sum
    else
        2.0 * Seq.sum (seq { for k in 1..100 -> (if k % 2 = 1 then 1.0 else -1.0) * exp (-2.0 * float (k * k) * lambda * lambda) })
        |> max 0.0
        |> min 1.0

/// The p-value of a one-sample Kolmogorov-Smirnov statistic `d` of `n` values: Q((sqrt n + 0.12 + 0.11 / sqrt n) d),
/// Stephens' (1970) approximation (Numerical Recipes' `probks`), good to a few per cent from n = 5 on.
let ksPValue (n: int) (d: float) : float =
    let r = sqrt (float n)
    kolmogorovSurvival ((r + 0.12 + 0.11 / r) * d)

/// The KS statistic of integer ranks against the discrete uniform on 0..maxRank: the largest |F_n(k) - (k+1) /
/// (maxRank+1)| over the support (both CDFs are steps at the integers, so the supremum is at one of them).
let ranksKsStatistic (maxRank: int) (ranks: int[]) : float =
    let counts = Array.zeroCreate (maxRank + 1)
    for r in ranks do
        counts.[r] <- counts.[r] + 1
    let n = float ranks.Length
    let mutable cumulative, worst = 0, 0.0
    for k in 0..maxRank do
        cumulative <- cumulative + counts.[k]
        worst <- max worst (abs (float cumulative / n - float (k + 1) / float (maxRank + 1)))
    worst

/// SBC ranks [point][dim]: how many of the point's posterior samples lie below the true value, 0..Count.
let sbcRanks (truth: float[][]) (s: Samples) : int[][] =
    Array.init s.Points (fun i ->
        Array.init s.Dim (fun d ->
            let mutable r = 0
            for j in 0 .. s.Count - 1 do
                if s.At(i, j, d) < truth.[i].[d] then r <- r + 1
            r))

/// Per dimension, the KS p-value of the ranks against the discrete uniform on 0..count: small when the posterior is
/// too narrow, too wide or biased.
let sbcPValues (count: int) (ranks: int[][]) : float[] =
    Array.init ranks.[0].Length (fun d ->
        let column = ranks |> Array.map (fun r -> r.[d])
        ksPValue column.Length (ranksKsStatistic count column))

/// The histogram of ranks 0..count in `bins` equal bins (bin of rank r: r * bins / (count + 1)).
let rankHistogram (count: int) (bins: int) (ranks: int[]) : int[] =
    let h = Array.zeroCreate bins
    for r in ranks do
        let b = int (int64 r * int64 bins / int64 (count + 1))
        h.[b] <- h.[b] + 1
    h

/// Per point, the credibility of the smallest highest-density region holding the truth: the fraction of posterior
/// samples whose log q exceeds that of the truth (sbi's expected coverage ranks with log q as reduce function).
/// `logQTruth` [point], `logQSamples` [point][sample] flat.
let hpdLevels (logQTruth: float[]) (logQSamples: float[]) : float[] =
    let count = logQSamples.Length / logQTruth.Length
    Array.init logQTruth.Length (fun i ->
        let mutable above = 0
        for j in 0 .. count - 1 do
            if logQSamples.[i * count + j] > logQTruth.[i] then above <- above + 1
        float above / float count)

/// Expected coverage at credibility `level`: the fraction of points whose truth lies in the level-HPD region
/// (HPD level below `level`). Nominal for a calibrated posterior; below it for an over-confident one.
let coverage (hpd: float[]) (level: float) : float = (hpd |> Array.filter (fun h -> h < level)).Length |> float |> (fun c -> c / float hpd.Length)

/// The coverage curve at levels 0, 1/steps, .., 1: (levels, coverages).
let coverageCurve (steps: int) (hpd: float[]) : float[] * float[] =
    let levels = Array.init (steps + 1) (fun k -> float k / float steps)
    levels, levels |> Array.map (coverage hpd)

/// TARP's result: credibility levels alpha (bin edges on [0, 1]), expected coverage probabilities at them, and the
/// area to the curve ATC = sum over alpha >= 1/2 of (ECP - alpha) d alpha (about 0 when calibrated; negative when
/// over-confident, positive when too wide).
type Tarp = { Alpha: float[]; Ecp: float[]; Atc: float }

/// TARP (Lemos et al. 2023) as sbi's `run_tarp` and `check_tarp`: theta z-scored to [0, 1] by the truths' min and
/// max, one reference point per test point uniform on that box (`Random(seed)`), L2 distances; f_i the fraction of
/// samples closer to the reference than the truth; the ECP curve the CDF of f on `bins` bins of [0, 1] (the paper's
/// range; sbi bins between f's min and max). `bins` defaults to points / 10 in sbi.
let tarp (seed: int) (bins: int) (truth: float[][]) (s: Samples) : Tarp =
    let lo = Array.init s.Dim (fun d -> truth |> Array.map (fun t -> t.[d]) |> Array.min)
    let hi = Array.init s.Dim (fun d -> truth |> Array.map (fun t -> t.[d]) |> Array.max)
    let z d (x: float) = (x - lo.[d]) / (hi.[d] - lo.[d] + 1e-10)
    let rng = Random seed
    let f =
        Array.init s.Points (fun i ->
            let reference = Array.init s.Dim (fun _ -> rng.NextDouble())
            let distance (x: int -> float) = Seq.sum (seq { for d in 0 .. s.Dim - 1 -> (z d (x d) - reference.[d]) ** 2.0 }) |> sqrt
            let truthDistance = distance (fun d -> truth.[i].[d])
            let mutable closer = 0
            for j in 0 .. s.Count - 1 do
                if distance (fun d -> s.At(i, j, d)) < truthDistance then closer <- closer + 1
            float closer / float s.Count)
    let counts = Array.zeroCreate bins
    for v in f do
        let b = min (bins - 1) (int (v * float bins))
        counts.[b] <- counts.[b] + 1
    let alpha = Array.init (bins + 1) (fun k -> float k / float bins)
    let ecp = Array.append [| 0.0 |] (Array.scan (+) 0 counts |> Array.tail |> Array.map (fun c -> float c / float f.Length))
    let mid = alpha.Length / 2
    let atc = Seq.sum (seq { for k in mid .. alpha.Length - 1 -> (ecp.[k] - alpha.[k]) / float bins })
    { Alpha = alpha; Ecp = ecp; Atc = atc }
