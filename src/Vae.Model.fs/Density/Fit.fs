/// sbi's training loop for a density estimator (`npe_base.train`): a seeded 10 % validation split, z-scoring by the
/// training pairs, minibatches of 200 in a seeded shuffle, (N)Adam at 5e-4 with the gradient's global norm clipped at 5,
/// and early stopping once the validation mean log density has not improved for 20 epochs, keeping the best
/// parameters. The loop is a fold over epochs of a `State` that can be saved and resumed bit for bit: the shuffle of
/// epoch e is drawn from a generator seeded by (seed, e), so the random state is the seed and the epoch.
module Vae.Model.Density.Fit

open System
open System.Globalization
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Optim
open Vae.Model.Density.Estimator
open Vae.Model.Density.EstimatorFile

/// Settings of the loop; `Defaults` are sbi's.
type Options =
    {
        ValidationFraction: float
        BatchSize: int
        LearningRate: float
        /// Epochs without improvement of the validation mean log density before stopping.
        StopAfterEpochs: int
        /// The global gradient norm is clipped to this; None for no clipping.
        ClipMaxNorm: float option
        /// Epochs at most, whether or not the validation stopped improving.
        MaxEpochs: int
        Seed: uint64
        /// The parameters' dtype and device.
        Spec: TensorSpec
    }

    /// sbi's: 10 % validation, batch 200, lr 5e-4, stop after 20 epochs, clip at norm 5; at most 1,000 epochs, seed 0,
    /// float64 on the CPU.
    static member Defaults =
        { ValidationFraction = 0.1
          BatchSize = 200
          LearningRate = 5e-4
          StopAfterEpochs = 20
          ClipMaxNorm = Some 5.0
          MaxEpochs = 1000
          Seed = 0UL
          Spec = TensorSpec.Float64 }

/// One epoch's record: mean log q(theta | s) in theta's units over the training batches (as they were fitted) and
/// over the validation pairs after the epoch.
type Epoch = { Epoch: int; Train: float; Validation: float }

/// The pairs split and standardized by the training part's statistics (standardized tensors, in the options' dtype).
type Split =
    { Theta: Standardization.Statistics
      Context: Standardization.Statistics
      TrainContext: Tensor
      TrainTheta: Tensor
      ValidationContext: Tensor
      ValidationTheta: Tensor }

// SplitMix64's finalizer: independent-looking generator seeds from (seed, stream).
let private mix (seed: uint64) (stream: uint64) =
    let mutable z = seed + 0x9E3779B97F4A7C15UL * (stream + 1UL)
    z <- (z ^^^ (z >>> 30)) * 0xBF58476D1CE4E5B9UL
    z <- (z ^^^ (z >>> 27)) * 0x94D049BB133111EBUL
    z ^^^ (z >>> 31)

// The split of `splitFor`, the contexts' statistics fitted by `statistics`.
let private splitWith (statistics: Tensor -> Standardization.Statistics) (o: Options) (context: Tensor) (theta: Tensor) : Split =
    let n = theta.shape.[0]
    if context.shape.[0] <> n then invalidArg "context" $"{context.shape.[0]} contexts for {n} thetas"
    let validation = int64 (o.ValidationFraction * float n)
    if validation < 1L || validation >= n then invalidArg "theta" $"{n} pairs leave no training or validation pairs"
    use perm = torch.randperm (n, generator = generator (mix o.Seed UInt64.MaxValue))
    let part (t: Tensor) (start: int64) (rows: int64) = t.index_select(0L, perm.narrow (0L, start, rows)).``to``(o.Spec.Dtype, o.Spec.Device)
    use tc = part context 0L (n - validation)
    use vc = part context (n - validation) validation
    let tt, vt = part theta 0L (n - validation), part theta (n - validation) validation
    let ct, th = statistics tc, Standardization.fit tt
    let z st (t: Tensor) = Standardization.apply st t
    { Theta = th; Context = ct; TrainContext = z ct tc; TrainTheta = z th tt; ValidationContext = z ct vc; ValidationTheta = z th vt }

/// The split of contexts [n; context] (traces [n; length] with an embedding) and theta [n; dim] for an estimator of
/// `settings`: a seeded permutation, its last floor(fraction n) pairs for validation (as sbi), statistics from the
/// training pairs (`Estimator.contextStatistics`).
let splitFor (settings: Settings) (o: Options) (context: Tensor) (theta: Tensor) : Split = splitWith (contextStatistics settings) o context theta

/// `splitFor` of an estimator without embedding: contexts z-scored per column.
let split (o: Options) (context: Tensor) (theta: Tensor) : Split = splitWith Standardization.fit o context theta

/// The optimizer of the loop: the product's NAdamW (b1 0.9, b2 0.999, eps 1e-8) without weight decay or element-wise
/// clip, at a constant learning rate (sbi uses Adam; NAdamW's one-pass kernel keeps a flow's step fast, its many
/// small leaves being bound by the count of operations). The global-norm clip is applied to the gradients first.
let optimizer (o: Options) : GradientTransformation =
    Nadamw.transform { Nadamw.Config.Defaults with WeightDecay = 0.0; Clip = None } (Schedule.Constant o.LearningRate)

/// Everything the loop carries from one epoch to the next.
[<NoEquality; NoComparison>]
type State =
    {
        Settings: Settings
        Net: Net
        Optimizer: OptState
        /// The parameters of the best validation epoch so far (a copy).
        Best: Net
        BestValidation: float
        /// Epochs done.
        Epoch: int
        /// Epochs since the validation mean log density last improved.
        SinceImprovement: int
        History: Epoch[]
    }

/// Whether the loop is over: no improvement for `StopAfterEpochs` epochs, or `MaxEpochs` done.
let isDone (o: Options) (st: State) = st.SinceImprovement >= o.StopAfterEpochs || st.Epoch >= o.MaxEpochs

/// The state before the first epoch: parameters drawn from a generator seeded by the options' seed.
let start (settings: Settings) (o: Options) : State =
    let net = init settings o.Spec (generator (mix o.Seed 0xFFFFFFFFUL))
    { Settings = settings
      Net = net
      Optimizer = Optim.init (optimizer o) (leaves net)
      Best = withLeaves net (leaves net |> Array.map (fun t -> t.detach().clone()))
      BestValidation = -infinity
      Epoch = 0
      SinceImprovement = 0
      History = [||] }

/// Mean standardized log q of pairs, without gradients, in chunks.
let private meanLogProb (settings: Settings) (net: Net) (context: Tensor) (theta: Tensor) =
    use _ = torch.no_grad ()
    let n = theta.shape.[0]
    let mutable sum = 0.0
    for start in 0L .. chunkRows .. n - 1L do
        use _scope = torch.NewDisposeScope()
        let rows = min chunkRows (n - start)
        sum <- sum + (standardizedLogProb settings net (context.narrow (0L, start, rows)) (theta.narrow (0L, start, rows))).sum().ToDouble()
    sum / float n

/// One epoch. The state's parameter and optimizer tensors are updated in place (donated, as `Training.stepInPlace`
/// donates them): use the returned state, not the old one.
let step (o: Options) (data: Split) (st: State) : State =
    let ps = leaves st.Net
    let opt = optimizer o
    let n = data.TrainTheta.shape.[0]
    use perm = torch.randperm (n, generator = generator (mix o.Seed (uint64 st.Epoch)))
    let mutable sum = 0.0
    for start in 0L .. int64 o.BatchSize .. n - 1L do
        use _scope = torch.NewDisposeScope()
        let idx = perm.narrow (0L, start, min (int64 o.BatchSize) (n - start))
        let c, t = data.TrainContext.index_select (0L, idx), data.TrainTheta.index_select (0L, idx)
        let loss (q: Tensor[]) = -(standardizedLogProb st.Settings (withLeaves st.Net q) c t).mean()
        let value, grads = Grad.valueAndGrad loss ps
        sum <- sum - value.ToDouble() * float idx.shape.[0]
        match o.ClipMaxNorm with
        | Some limit ->
            let factor = Transforms.globalNormFactor limit grads
            if factor < 1.0 then
                use f = scalar factor
                for g in grads do
                    g.mul_ f |> ignore
        | None -> ()
        Optim.applyInPlace opt grads st.Optimizer ps
    // In theta's units: the log std of the standardization subtracted.
    let correction = data.Theta.Std |> Array.sumBy log
    let validation = meanLogProb st.Settings st.Net data.ValidationContext data.ValidationTheta - correction
    let record = { Epoch = st.Epoch; Train = sum / float n - correction; Validation = validation }
    let improved = st.Epoch = 0 || validation > st.BestValidation
    let best =
        if improved then
            Params.dispose (leaves st.Best)
            withLeaves st.Net (ps |> Array.map (fun t -> t.detach().clone()))
        else
            st.Best
    { st with
        Best = best
        BestValidation = (if improved then validation else st.BestValidation)
        Epoch = st.Epoch + 1
        SinceImprovement = (if improved then 0 else st.SinceImprovement + 1)
        History = Array.append st.History [| record |] }

/// Epochs until `isDone`, calling `onEpoch` after each (to log, or save the state to resume later).
let run (o: Options) (data: Split) (onEpoch: State -> unit) (st: State) : State =
    let mutable s = st
    while not (isDone o s) do
        s <- step o data s
        onEpoch s
    s

/// C#-friendly `run`.
let Run (o: Options, data: Split, onEpoch: Action<State>, st: State) : State = run o data onEpoch.Invoke st

/// The fitted estimator of a state: its best parameters (a copy) and the split's statistics.
let fitted (data: Split) (st: State) : Fitted =
    { Settings = st.Settings
      Theta = data.Theta
      Context = data.Context
      Net = withLeaves st.Best (leaves st.Best |> Array.map (fun t -> t.clone ())) }

/// sbi's `train` in one call: the estimator fitted to contexts [n; context] and theta [n; dim], and the history.
let fit (settings: Settings) (o: Options) (context: Tensor) (theta: Tensor) : Fitted * Epoch[] =
    let data = splitFor settings o context theta
    let st = run o data ignore (start settings o)
    fitted data st, st.History

let private number (v: float) = v.ToString("R", CultureInfo.InvariantCulture)

/// Writes the state to `path` (atomically): parameters, best parameters and optimizer tensors bit for bit; settings,
/// seed, counters and history in the metadata.
let saveState (path: string) (o: Options) (data: Split) (st: State) : unit =
    let f = { Settings = st.Settings; Theta = data.Theta; Context = data.Context; Net = st.Net }
    let history = st.History |> Array.map (fun e -> $"{e.Epoch} {number e.Train} {number e.Validation}") |> String.concat ";"
    let tensors =
        Array.concat
            [ namedParams st.Net
              namedParams st.Best |> Array.map (fun (n, t) -> "best/" + n.Substring 7, t)
              namedTensors st.Optimizer |> Array.map (fun (n, t) -> "opt/" + n, t) ]
    let meta =
        [ "format", "functionalvae-estimator-fit/1"
          "seed", string o.Seed
          "epoch", string st.Epoch
          "step", string st.Optimizer.Count
          "best", number st.BestValidation
          "since", string st.SinceImprovement
          "history", history ]
    Safetensors.write path (meta @ metadata f) tensors

/// Reads a state written by `saveState` for the same options (the seed is checked) onto the options' device.
let loadState (path: string) (o: Options) : State =
    let m, tensors = Safetensors.read path o.Spec.Device
    if m.TryFind "format" <> Some "functionalvae-estimator-fit/1" then raise (IO.InvalidDataException $"{path} is not a fit state")
    let seed = m.["seed"]
    if seed <> string o.Seed then invalidArg "o" $"{path} was fitted with seed {seed}, not {o.Seed}"
    let settings, _, _ = ofMetadata m
    let net = netOf settings "params/" tensors
    let template = Optim.init (optimizer o) (leaves net)
    let opt = withTensors template (namedTensors template |> Array.map (fun (n, _) -> tensors.["opt/" + n]))
    disposeState template
    setCount (int64 m.["step"]) opt
    let parse (e: string) =
        let p = e.Split ' '
        { Epoch = int p.[0]
          Train = Double.Parse(p.[1], CultureInfo.InvariantCulture)
          Validation = Double.Parse(p.[2], CultureInfo.InvariantCulture) }
    { Settings = settings
      Net = net
      Optimizer = opt
      Best = netOf settings "best/" tensors
      BestValidation = Double.Parse(m.["best"], CultureInfo.InvariantCulture)
      Epoch = int m.["epoch"]
      SinceImprovement = int m.["since"]
      History = (if m.["history"] = "" then [||] else m.["history"].Split ';' |> Array.map parse) }
