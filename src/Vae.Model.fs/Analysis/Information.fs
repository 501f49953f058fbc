/// How much each latent dimension says about each factor, with disentanglement_lib's definitions (Locatello
/// et al. 2019): equal-width histogram discretization, discrete mutual information (nats), the mutual
/// information gap (MIG, Chen et al. 2018), SAP for continuous factors (Kumar et al. 2018), DCI
/// disentanglement and completeness from an importance matrix (Eastwood & Williams 2018), and active units
/// (Burda et al. 2016). Arrays are indexed [code][example] and [factor][example], as the library's.
module Vae.Model.Analysis.Information

/// Bin index 0..bins-1 of each value: `bins` equal-width bins between the values' min and max, the maximum
/// in the last bin (numpy's digitize against histogram edges); a constant input falls in one bin.
let discretize (bins: int) (values: float[]) : int[] =
    if bins < 1 then invalidArg "bins" $"need at least one bin, got {bins}"
    if values.Length = 0 then invalidArg "values" "nothing to discretize"
    let lo, hi = Array.min values, Array.max values
    if not (System.Double.IsFinite lo && System.Double.IsFinite hi) then invalidArg "values" "values must be finite"
    if hi = lo then
        Array.zeroCreate values.Length
    else
        let width = (hi - lo) / float bins
        values |> Array.map (fun v -> min (bins - 1) (int (floor ((v - lo) / width))))

/// Mutual information (nats) of two discrete labelings of the same examples: sum over cells of
/// p(a, b) log(p(a, b) / (p(a) p(b))), as scikit-learn's mutual_info_score.
let mutualInformation (a: int[]) (b: int[]) : float =
    if a.Length <> b.Length then invalidArg "b" $"labelings differ in length ({a.Length} and {b.Length})"
    if a.Length = 0 then invalidArg "a" "no examples"
    let n = float a.Length
    let joint = System.Collections.Generic.Dictionary<struct (int * int), int>()
    let ca = System.Collections.Generic.Dictionary<int, int>()
    let cb = System.Collections.Generic.Dictionary<int, int>()
    let bump (d: System.Collections.Generic.Dictionary<'K, int>) k =
        match d.TryGetValue k with
        | true, c -> d.[k] <- c + 1
        | _ -> d.[k] <- 1
    for i in 0 .. a.Length - 1 do
        bump joint (struct (a.[i], b.[i]))
        bump ca a.[i]
        bump cb b.[i]
    joint
    |> Seq.sumBy (fun kv ->
        let struct (x, y) = kv.Key
        let pxy = float kv.Value / n
        pxy * log (pxy / (float ca.[x] / n * float cb.[y] / n)))
    |> max 0.0

/// Entropy (nats) of a discrete labeling: its mutual information with itself.
let entropy (a: int[]) : float = mutualInformation a a

/// The mutual information matrix [code; factor] between discretized codes and discretized factors.
let mutualInformationMatrix (bins: int) (codes: float[][]) (factors: int[][]) : float[,] =
    let discrete = codes |> Array.map (discretize bins)
    Array2D.init codes.Length factors.Length (fun i j -> mutualInformation discrete.[i] factors.[j])

/// The largest minus the second largest entry of each column of [code; factor] (the largest itself when
/// there is only one code).
let topTwoGap (matrix: float[,]) : float[] =
    Array.init (Array2D.length2 matrix) (fun j ->
        let column = Array.init (Array2D.length1 matrix) (fun i -> matrix.[i, j]) |> Array.sortDescending
        if column.Length > 1 then column.[0] - column.[1] else column.[0])

/// MIG per factor: the gap between the two codes most informative about it, over its entropy (0 for a
/// constant factor).
let migPerFactor (mi: float[,]) (factorEntropy: float[]) : float[] =
    Array.map2 (fun gap h -> if h > 0.0 then gap / h else 0.0) (topTwoGap mi) factorEntropy

/// MIG: the mean over factors of `migPerFactor`.
let mig (mi: float[,]) (factorEntropy: float[]) : float = Array.average (migPerFactor mi factorEntropy)

/// SAP score matrix for continuous factors [code; factor]: the R^2 of a linear fit of the factor on the code,
/// cov^2 / (var code * var factor); 0 for a code with variance <= 1e-12.
let sapMatrix (codes: float[][]) (factors: float[][]) : float[,] =
    let stats (a: float[]) (b: float[]) =
        let ma, mb = Array.average a, Array.average b
        let mutable saa, sbb, sab = 0.0, 0.0, 0.0
        for i in 0 .. a.Length - 1 do
            let da, db = a.[i] - ma, b.[i] - mb
            saa <- saa + da * da
            sbb <- sbb + db * db
            sab <- sab + da * db
        let d = float (a.Length - 1)
        saa / d, sbb / d, sab / d
    Array2D.init codes.Length factors.Length (fun i j ->
        let varC, varF, cov = stats codes.[i] factors.[j]
        if varC > 1e-12 && varF > 0.0 then cov * cov / (varC * varF) else 0.0)

/// SAP: the mean over factors of the gap between the two best codes' scores.
let sap (scores: float[,]) : float = Array.average (topTwoGap scores)

// scipy.stats.entropy of a non-negative vector, normalized to sum 1, in the given base.
let private normalizedEntropy (logBase: float) (p: float[]) =
    let total = Array.sum p
    p |> Array.sumBy (fun v -> let q = v / total in if q > 0.0 then -q * log q else 0.0) |> fun h -> h / log logBase

/// DCI disentanglement and completeness of a non-negative importance matrix [code; factor], as
/// disentanglement_lib computes them (1e-11 added before normalizing): disentanglement = sum over codes of
/// (1 - entropy of the code's row, base = factors) weighted by the code's share of importance; completeness =
/// sum over factors of (1 - entropy of the factor's column, base = codes) weighted likewise. With one factor
/// every code is perfectly disentangled (1); with one code every factor is complete (1).
let dci (importance: float[,]) : float * float =
    let codes, factors = Array2D.length1 importance, Array2D.length2 importance
    if importance |> Seq.cast<float> |> Seq.exists (fun v -> not (v >= 0.0)) then invalidArg "importance" "importance must be finite and non-negative"
    let total = importance |> Seq.cast<float> |> Seq.sum
    let weights = if total = 0.0 then Array2D.create codes factors 1.0 else importance
    let wTotal = weights |> Seq.cast<float> |> Seq.sum
    let row i = Array.init factors (fun j -> importance.[i, j] + 1e-11)
    let col j = Array.init codes (fun i -> importance.[i, j] + 1e-11)
    let perCode i = if factors > 1 then 1.0 - normalizedEntropy (float factors) (row i) else 1.0
    let perFactor j = if codes > 1 then 1.0 - normalizedEntropy (float codes) (col j) else 1.0
    let disentanglement =
        Seq.sum (seq { for i in 0 .. codes - 1 -> perCode i * (Seq.sum (seq { for j in 0 .. factors - 1 -> weights.[i, j] }) / wTotal) })
    let completeness =
        Seq.sum (seq { for j in 0 .. factors - 1 -> perFactor j * (Seq.sum (seq { for i in 0 .. codes - 1 -> weights.[i, j] }) / wTotal) })
    disentanglement, completeness

/// The activity threshold of Burda et al. (2016): a code is active when the variance of its posterior mean
/// over the data exceeds 0.01.
let activeThreshold = 0.01

/// Variance over the examples (population) of each code's posterior mean.
let activity (codes: float[][]) : float[] = codes |> Array.map (fun c -> let m = Array.average c in c |> Array.averageBy (fun v -> (v - m) * (v - m)))

/// Number of codes whose posterior-mean variance exceeds `activeThreshold`.
let activeUnits (codes: float[][]) : int = activity codes |> Array.filter (fun v -> v > activeThreshold) |> Array.length
