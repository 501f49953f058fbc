/// Predicting a discrete label (the MNIST digit) from a representation: a linear probe (multinomial
/// logistic regression on standardized inputs, trained full-batch with the model layer's NAdamW from zero
/// weights, so it is deterministic) and k-nearest-neighbour majority vote with k by cross-validation.
module Vae.Model.Analysis.Classification

open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Analysis

/// Weights [d; classes] and biases [classes] of the linear probe.
type Linear = { W: Tensor; B: Tensor }

/// Full-batch steps of the linear probe.
let probeSteps = 300

/// Learning rate of the probe's optimizer.
let probeRate = 0.05

/// L2 penalty on the probe's weights (per example, on standardized inputs).
let probeL2 = 1e-4

/// A fitted classifier: the predicted label of each row of new inputs, and its chosen hyperparameter.
type Classifier = { Predict: Tensor -> int[]; Chosen: float }

let private labelsTensor (labels: int[]) = torch.tensor (labels |> Array.map int64)

/// Multinomial logistic regression of `labels` (0..classes-1) on standardized `x`.
let linearProbe (classes: int) (x: Tensor) (labels: int[]) : Classifier =
    let s = Regression.fitStandardizer x
    let xs = Regression.standardize s x
    let y = labelsTensor labels
    let d = xs.shape.[1]
    let opt = Nadamw.transform { Nadamw.Config.Defaults with WeightDecay = 0.0; Clip = None } (Schedule.Constant probeRate)
    let loss (p: Linear) = torch.nn.functional.cross_entropy (xs.matmul (p.W) + p.B, y) + p.W.square().sum() * probeL2
    let mutable p = { W = zeros TensorSpec.Float64 [| d; int64 classes |]; B = zeros TensorSpec.Float64 [| int64 classes |] }
    let mutable state = Optim.init opt p
    for _ in 1..probeSteps do
        use _scope = torch.NewDisposeScope()
        let _, grads = Grad.valueAndGrad loss p
        let p', state' = Optim.apply opt grads state p
        for t in Params.flatten p' do
            t.MoveToOuterDisposeScope() |> ignore
        for _, t in Optim.namedTensors state' do
            t.MoveToOuterDisposeScope() |> ignore
        Params.dispose p
        Optim.disposeState state
        p <- p'
        state <- state'
    Optim.disposeState state
    let final = p
    let predict (q: Tensor) =
        use _ = torch.no_grad ()
        (Regression.standardize s q).matmul(final.W).add(final.B).argmax(1L).data<int64>().ToArray() |> Array.map int
    { Predict = predict; Chosen = probeL2 }

// Majority vote among the first k neighbours; a tie goes to the class of the nearest neighbour among them.
let private vote (classes: int) (neighbourLabels: Tensor) (k: int) =
    let first = neighbourLabels.narrow (1L, 0L, int64 k)
    let votes = torch.nn.functional.one_hot(first, int64 classes).sum(1L).to_type(torch.float64)
    let nearest = torch.nn.functional.one_hot(first.select (1L, 0L), int64 classes).to_type(torch.float64)
    (votes + nearest * 0.5).argmax(1L)

/// k-nearest-neighbour classification on standardized `x`, k from `ks` by cross-validated accuracy.
let knn (classes: int) (ks: int[]) (folds: int) (seed: uint64) (x: Tensor) (labels: int[]) : Classifier =
    use _ = torch.no_grad ()
    let y = labelsTensor labels
    let fold = Regression.foldsOf labels.Length folds seed
    let ks = Regression.usableKs ks labels.Length folds
    let kMax = Array.max ks
    let correct = Array.zeroCreate ks.Length
    for f in 0 .. folds - 1 do
        use _scope = torch.NewDisposeScope()
        let trainIdx =
            [| for i in 0 .. fold.Length - 1 do
                   if fold.[i] <> f then int64 i |]
        let validIdx =
            [| for i in 0 .. fold.Length - 1 do
                   if fold.[i] = f then int64 i |]
        let xt, xv = x.index_select (0L, torch.tensor trainIdx), x.index_select (0L, torch.tensor validIdx)
        let s = Regression.fitStandardizer xt
        let idx = Regression.nearest (Regression.standardize s xt) (Regression.standardize s xv) kMax
        let neighbourLabels = y.index_select(0L, torch.tensor trainIdx).index_select(0L, idx.flatten ()).reshape(idx.shape)
        let truth = y.index_select (0L, torch.tensor validIdx)
        ks |> Array.iteri (fun a k -> correct.[a] <- correct.[a] + (vote classes neighbourLabels k).eq(truth).sum().item<int64>())
    let k = ks.[Array.maxBy (fun a -> correct.[a], -a) [| 0 .. ks.Length - 1 |]]
    let s = Regression.fitStandardizer x
    let xs = Regression.standardize s x
    let predict (q: Tensor) =
        use _ = torch.no_grad ()
        let idx = Regression.nearest xs (Regression.standardize s q) k
        (vote classes (y.index_select(0L, idx.flatten ()).reshape(idx.shape)) k).data<int64>().ToArray() |> Array.map int
    { Predict = predict; Chosen = float k }

/// Fraction of `predicted` equal to `truth`.
let accuracy (truth: int[]) (predicted: int[]) : float =
    if truth.Length <> predicted.Length || truth.Length = 0 then invalidArg "predicted" "need one prediction per label"
    float (Array.fold2 (fun c t p -> if t = p then c + 1 else c) 0 truth predicted) / float truth.Length
