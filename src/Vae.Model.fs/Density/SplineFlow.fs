/// A conditional neural spline flow q(theta | s) (Durkan et al. 2019), as sbi's `nsf` density estimator: a standard
/// normal base pushed through autoregressive rational-quadratic spline transforms, the order of theta's dimensions
/// reversed between transforms. Dimension i of a transform is splined with parameters an MLP computes from theta's
/// earlier dimensions and the context s: one MLP per dimension (exactly autoregressive, no masks), which suits the few
/// dimensions of a posterior over conductances. Pure functions of a parameter record, like the VAEs.
module Vae.Model.Density.SplineFlow

open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Layers

/// Sizes of a spline flow.
type Config =
    {
        /// Features of the context s.
        Context: int
        /// Dimensions of theta.
        Dim: int
        /// Autoregressive transforms.
        Transforms: int
        /// Width of each conditioner's two hidden layers.
        Hidden: int
        /// Spline bins.
        Bins: int
        /// The spline acts on [-Bound, Bound]; the identity outside (inputs are standardized first).
        Bound: float
    }

/// sbi's defaults for `nsf`: 5 transforms, 50 hidden units, 10 bins, splines on [-3, 3].
let defaults (context: int) (dim: int) = { Context = context; Dim = dim; Transforms = 5; Hidden = 50; Bins = 10; Bound = 3.0 }

/// The MLP that gives one dimension's spline parameters.
type Conditioner = { Hidden: Dense[]; Out: Dense }

/// Parameters: per transform, one conditioner per dimension (dimension i reads i earlier ones and the context).
type Params = { Transforms: Conditioner[][] }

let private validate (cfg: Config) =
    if cfg.Context < 0 || cfg.Dim < 1 || cfg.Transforms < 1 || cfg.Hidden < 1 || cfg.Bins < 2 || not (cfg.Bound > 0.0) then
        invalidArg "cfg" $"sizes must be positive (context may be 0, bins at least 2): {cfg}"

/// Initial parameters: He-normal hidden layers; the output layer small (LeCun-normal scaled by 0.01), so each
/// transform starts close to the identity.
let init (cfg: Config) (spec: TensorSpec) (gen: torch.Generator) : Params =
    validate cfg
    let conditioner (i: int) =
        let inputs = i + cfg.Context
        let hidden =
            if inputs > 0 then [| dense Init.HeNormal gen spec inputs cfg.Hidden; dense Init.HeNormal gen spec cfg.Hidden cfg.Hidden |] else [||]
        // With no inputs only the output's bias is used: the spline's parameters are learned constants.
        let out = dense Init.LecunNormal gen spec (if inputs > 0 then cfg.Hidden else 1) (Spline.parameterCount cfg.Bins)
        use small = scalar 0.01
        out.W.mul_ small |> ignore
        { Hidden = hidden; Out = out }
    { Transforms = Array.init cfg.Transforms (fun _ -> Array.init cfg.Dim conditioner) }

// Spline parameters [batch; 3K - 1] of dimension i from its inputs (earlier dimensions and context); a conditioner
// with no inputs (dimension 0, no context) has learned constants.
let private splineParameters (c: Conditioner) (inputs: Tensor) (batch: int64) =
    if c.Hidden.Length = 0 then
        c.Out.B.unsqueeze(0L).expand(batch, -1L)
    else
        applyDense c.Out (c.Hidden |> Array.fold (fun h l -> relu (applyDense l h)) inputs)

let private inputsOf (theta: Tensor) (i: int) (context: Tensor) = torch.cat ([| theta.narrow (1L, 0L, int64 i); context |], 1L)

/// theta [batch; d] mapped to the base space, and the log-determinant of the map [batch].
let forward (cfg: Config) (p: Params) (context: Tensor) (theta: Tensor) : Tensor * Tensor =
    let batch = theta.shape.[0]
    let mutable x = theta
    let mutable logDet = torch.zeros ([| batch |], dtype = theta.dtype)
    for conditioners in p.Transforms do
        // Every dimension's parameters come from the input of this transform, and the spline is elementwise: one
        // call for all dimensions (the flow is bound by the count of small operations, not by their size).
        let ps = torch.stack ([| for i in 0 .. cfg.Dim - 1 -> splineParameters conditioners.[i] (inputsOf x i context) batch |], 1L)
        let y, parts = Spline.transform cfg.Bins cfg.Bound false x ps
        logDet <- logDet + parts.sum (1L)
        x <- y.flip (1L)
    x, logDet

/// The inverse: base points [batch; d] mapped to theta, dimension by dimension within each transform.
let inverse (cfg: Config) (p: Params) (context: Tensor) (z: Tensor) : Tensor =
    let batch = z.shape.[0]
    let mutable y = z
    for conditioners in Array.rev p.Transforms do
        let u = y.flip (1L)
        let mutable x = torch.zeros_like u
        for i in 0 .. cfg.Dim - 1 do
            let ps = splineParameters conditioners.[i] (inputsOf x i context) batch
            let xi, _ = Spline.transform cfg.Bins cfg.Bound true (u.select (1L, int64 i)) ps
            x <- torch.cat ([| x.narrow (1L, 0L, int64 i); xi.unsqueeze 1L; x.narrow (1L, int64 (i + 1), int64 (cfg.Dim - i - 1)) |], 1L)
        y <- x
    y

/// log q(theta | s) [batch] for theta [batch; d] and contexts [batch; context].
let logProb (cfg: Config) (p: Params) (context: Tensor) (theta: Tensor) : Tensor =
    let z, logDet = forward cfg p context theta
    logDet - 0.5 * z.square().sum(1L) - 0.5 * float cfg.Dim * log (2.0 * System.Math.PI)

/// `count` samples of theta per context: [batch; count; d], the base draws from `gen`.
let sample (cfg: Config) (p: Params) (gen: torch.Generator) (count: int) (context: Tensor) : Tensor =
    use _ = torch.no_grad ()
    let batch, c = context.shape.[0], context.shape.[1]
    let repeated = context.unsqueeze(1L).expand(batch, int64 count, c).reshape(batch * int64 count, c)
    let z = torch.randn ([| batch * int64 count; int64 cfg.Dim |], dtype = context.dtype, generator = gen)
    (inverse cfg p repeated z).reshape(batch, int64 count, int64 cfg.Dim)
