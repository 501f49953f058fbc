/// Recovering continuous factors (e.g. gK, gNa) from a representation: ridge regression on standardized
/// inputs with alpha chosen by k-fold cross-validation, and k-nearest-neighbour regression with k chosen the
/// same way; both fitted on a training split and scored on a test split by R^2 and RMSE. Deterministic: the
/// folds come from a seed, everything else is closed-form. Computed in float64.
module Vae.Model.Analysis.Regression

open TorchSharp
open Vae.Model.Interop

/// Column means and standard deviations of a training matrix; constant columns get a standard deviation of 1
/// so they standardize to 0 instead of dividing by zero.
type Standardizer = { Mean: Tensor; Std: Tensor }

/// The standardizer of `x` [n; d] (population standard deviation).
let fitStandardizer (x: Tensor) : Standardizer =
    use _ = torch.no_grad ()
    let x64 = x.to_type torch.float64
    let mean = x64.mean ([| 0L |], keepdim = true)
    let std = x64.std (0L, unbiased = false, keepdim = true)
    use floor = scalar 1e-12
    { Mean = mean; Std = torch.where (std.gt floor, std, torch.ones_like std) }

/// (x - mean) / std in float64.
let standardize (s: Standardizer) (x: Tensor) : Tensor = (x.to_type torch.float64 - s.Mean) / s.Std

/// Coefficient of determination per column of `truth` [n; m]: 1 - SS_res / SS_tot around the column's own
/// mean (as scikit-learn's r2_score); 1 for a perfect prediction, 0 for predicting the mean, negative when worse.
let r2 (truth: Tensor) (predicted: Tensor) : float[] =
    use _scope = torch.NewDisposeScope()
    let y = truth.to_type torch.float64
    let res = (y - predicted.to_type torch.float64).square().sum(0L)
    let tot = (y - y.mean ([| 0L |], keepdim = true)).square().sum(0L)
    Array.map2 (fun r t -> if t > 0.0 then 1.0 - r / t else nan) (toArray res) (toArray tot)

/// Root mean squared error per column.
let rmse (truth: Tensor) (predicted: Tensor) : float[] =
    use _scope = torch.NewDisposeScope()
    toArray ((truth.to_type torch.float64 - predicted.to_type torch.float64).square().mean([| 0L |]).sqrt())

/// Fold index (0..folds-1) of each of `n` examples: a seeded permutation dealt round-robin, so fold sizes
/// differ by at most one.
let foldsOf (n: int) (folds: int) (seed: uint64) : int[] =
    if folds < 2 || folds > n then invalidArg "folds" $"need 2..{n} folds, got {folds}"
    use gen = generator seed
    use perm = torch.randperm (int64 n, generator = gen)
    let order = perm.data<int64>().ToArray()
    let fold = Array.zeroCreate n
    order |> Array.iteri (fun position example -> fold.[int example] <- position % folds)
    fold

let private rows (x: Tensor) (idx: int[]) = x.index_select (0L, torch.tensor (idx |> Array.map int64))

let private splitFolds (fold: int[]) (f: int) =
    [| for i in 0 .. fold.Length - 1 do
           if fold.[i] <> f then i |],
    [| for i in 0 .. fold.Length - 1 do
           if fold.[i] = f then i |]

/// A fitted predictor: what it predicts for new inputs, and the hyperparameter chosen for each target.
type Fitted =
    {
        /// Predictions [n; targets] for inputs [n; d] (float64).
        Predict: Tensor -> Tensor
        /// The chosen alpha (ridge) or k (k-NN) per target column.
        Chosen: float[]
    }

/// The ridge solution on standardized inputs: intercept = target mean, weights from (X'X + alpha I) w = X'y,
/// one alpha per target column.
let private ridgeSolve (xs: Tensor) (y: Tensor) (alphas: float[]) : Tensor * Tensor =
    let d = xs.shape.[1]
    let yMean = y.mean ([| 0L |], keepdim = true)
    let yc = y - yMean
    let gram = xs.t().matmul(xs)
    let xty = xs.t().matmul(yc)
    let eye = torch.eye (d, dtype = torch.float64)
    let w = torch.cat ([| for j in 0 .. alphas.Length - 1 -> torch.linalg.solve (gram + eye * alphas.[j], xty.narrow (1L, int64 j, 1L)) |], 1L)
    w, yMean

/// Default alpha grid: 10^-6 .. 10^4 in 21 steps (on standardized inputs with thousands of examples).
let defaultAlphas = [| for e in -12 .. 8 -> 10.0 ** (float e / 2.0) |]

/// Ridge regression of `y` [n; m] on `x` [n; d]: inputs standardized on the data given, alpha per target
/// chosen from `alphas` by the mean squared error over `folds` cross-validation folds (seeded), then refitted
/// on all of it.
let ridge (alphas: float[]) (folds: int) (seed: uint64) (x: Tensor) (y: Tensor) : Fitted =
    use _ = torch.no_grad ()
    let y64 = y.to_type torch.float64
    let n = int x.shape.[0]
    let m = int y.shape.[1]
    let fold = foldsOf n folds seed
    let cvError =
        use _scope = torch.NewDisposeScope()
        let err = Array2D.zeroCreate alphas.Length m
        for f in 0 .. folds - 1 do
            let trainIdx, validIdx = splitFolds fold f
            let xt, xv = rows x trainIdx, rows x validIdx
            let s = fitStandardizer xt
            let xts, xvs = standardize s xt, standardize s xv
            let yt, yv = rows y64 trainIdx, rows y64 validIdx
            alphas
            |> Array.iteri (fun a alpha ->
                let w, b = ridgeSolve xts yt (Array.create m alpha)
                let e = toArray ((xvs.matmul (w) + b - yv).square().sum(0L))
                for j in 0 .. m - 1 do
                    err.[a, j] <- err.[a, j] + e.[j])
        err
    let chosen = Array.init m (fun j -> alphas.[Array.minBy (fun a -> cvError.[a, j]) [| 0 .. alphas.Length - 1 |]])
    let s = fitStandardizer x
    let w, b = ridgeSolve (standardize s x) y64 chosen
    { Predict = (fun q -> use _ = torch.no_grad () in (standardize s q).matmul(w) + b); Chosen = chosen }

/// Indices [q; k] of the `k` nearest rows of `reference` to each row of `query` (Euclidean), nearest first;
/// computed in query blocks so the distance matrix stays small.
let nearest (reference: Tensor) (query: Tensor) (k: int) : Tensor =
    use _ = torch.no_grad ()
    let q = query.shape.[0]
    let block = 1024L
    let parts =
        [| for start in 0L .. block .. q - 1L do
               use _scope = torch.NewDisposeScope()
               let d = torch.cdist (query.narrow (0L, start, min block (q - start)), reference)
               let struct (_, idx) = d.topk (k, dim = 1, largest = false, sorted = true)
               idx.MoveToOuterDisposeScope() |]
    torch.cat (parts, 0L)

/// Default k grid of the k-NN regressor and classifier.
let defaultKs = [| 1; 2; 3; 5; 8; 12; 20; 30; 50 |]

/// The candidates of `ks` that every training fold of `n` examples can supply (small data sets drop the
/// large k); fails when none can.
let usableKs (ks: int[]) (n: int) (folds: int) : int[] =
    let smallest = n - (n + folds - 1) / folds
    match ks |> Array.filter (fun k -> k >= 1 && k <= smallest) with
    | [||] -> invalidArg "ks" $"no k of %A{ks} fits training folds of {smallest} examples"
    | usable -> usable

/// k-nearest-neighbour regression of `y` on standardized `x`: the prediction is the mean target of the k
/// nearest training examples; k per target chosen from `ks` (those the folds can supply) by cross-validated
/// mean squared error.
let knn (ks: int[]) (folds: int) (seed: uint64) (x: Tensor) (y: Tensor) : Fitted =
    use _ = torch.no_grad ()
    let y64 = y.to_type torch.float64
    let n = int x.shape.[0]
    let ks = usableKs ks n folds
    let m = int y.shape.[1]
    let fold = foldsOf n folds seed
    let kMax = Array.max ks
    let err = Array2D.zeroCreate ks.Length m
    for f in 0 .. folds - 1 do
        use _scope = torch.NewDisposeScope()
        let trainIdx, validIdx = splitFolds fold f
        let s = fitStandardizer (rows x trainIdx)
        let idx = nearest (standardize s (rows x trainIdx)) (standardize s (rows x validIdx)) kMax
        let neighbourY = (rows y64 trainIdx).index_select(0L, idx.flatten ()).reshape([| int64 validIdx.Length; int64 kMax; int64 m |])
        let cum = neighbourY.cumsum (1L)
        let yv = rows y64 validIdx
        ks
        |> Array.iteri (fun a k ->
            let pred = cum.select (1L, int64 (k - 1)) / float k
            let e = toArray ((pred - yv).square().sum(0L))
            for j in 0 .. m - 1 do
                err.[a, j] <- err.[a, j] + e.[j])
    let chosenK = Array.init m (fun j -> ks.[Array.minBy (fun a -> err.[a, j]) [| 0 .. ks.Length - 1 |]])
    let s = fitStandardizer x
    let xs = standardize s x
    let predict (q: Tensor) =
        use _ = torch.no_grad ()
        let kq = Array.max chosenK
        let idx = nearest xs (standardize s q) kq
        let neighbourY = y64.index_select(0L, idx.flatten ()).reshape([| q.shape.[0]; int64 kq; int64 m |])
        torch.stack ([| for j in 0 .. m - 1 -> neighbourY.select(2L, int64 j).narrow(1L, 0L, int64 chosenK.[j]).mean([| 1L |]) |], 1L)
    { Predict = predict; Chosen = chosenK |> Array.map float }

/// Test-split scores of one regressor on one representation.
type Score =
    {
        /// R^2 per target on the test split.
        R2: float[]
        /// RMSE per target on the test split (target units).
        Rmse: float[]
        /// The chosen hyperparameter per target (alpha or k).
        Chosen: float[]
        /// Test predictions [nTest * targets], row-major.
        Predicted: float[]
    }

/// Fits `fit` on the training split and scores it on the test split.
let score (fit: Tensor -> Tensor -> Fitted) (xTrain: Tensor) (yTrain: Tensor) (xTest: Tensor) (yTest: Tensor) : Score =
    use _scope = torch.NewDisposeScope()
    let fitted = fit xTrain yTrain
    let pred = fitted.Predict xTest
    { R2 = r2 yTest pred; Rmse = rmse yTest pred; Chosen = fitted.Chosen; Predicted = toArray pred }
