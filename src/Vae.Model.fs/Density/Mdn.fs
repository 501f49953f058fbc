/// A mixture density network (Bishop 1994) as sbi's `mdn` density estimator builds it: q(theta | s) a mixture of
/// Gaussians with full covariances whose weights, means and precision factors an MLP computes from the context s.
/// Each component is parameterized by the upper-triangular Cholesky factor U of its precision (U'U = Sigma^-1, positive
/// diagonal as exp of a raw value), so its log density needs no solve: log N = -d/2 log 2 pi + sum log U_ii
/// - |U (theta - mu)|^2 / 2. Pure functions of a parameter record, like the VAEs.
module Vae.Model.Density.Mdn

open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Layers

/// Sizes of a mixture density network.
type Config =
    {
        /// Features of the context s.
        Context: int
        /// Dimensions of theta.
        Dim: int
        /// Mixture components.
        Components: int
        /// Width of each hidden layer.
        Hidden: int
        /// Hidden layers (ReLU).
        Layers: int
    }

/// sbi's defaults for `mdn`: 10 components, two hidden layers of 50.
let defaults (context: int) (dim: int) = { Context = context; Dim = dim; Components = 10; Hidden = 50; Layers = 2 }

/// Parameters: the hidden stack and one head per output (mixture logits, means, log-diagonal and off-diagonal of U).
type Params = { Hidden: Dense[]; Logits: Dense; Means: Dense; LogDiagonal: Dense; OffDiagonal: Dense }

let private offDiagonalCount (dim: int) = dim * (dim - 1) / 2

let private validate (cfg: Config) =
    if cfg.Context < 1 || cfg.Dim < 1 || cfg.Components < 1 || cfg.Hidden < 1 || cfg.Layers < 1 then invalidArg "cfg" $"sizes must be positive: {cfg}"

/// Initial parameters: He-normal hidden layers, LeCun-normal heads, zero biases.
let init (cfg: Config) (spec: TensorSpec) (gen: torch.Generator) : Params =
    validate cfg
    let sizes = cfg.Context :: List.replicate cfg.Layers cfg.Hidden
    let hidden = sizes |> List.pairwise |> List.map (fun (i, o) -> dense Init.HeNormal gen spec i o) |> Array.ofList
    let head outputs = dense Init.LecunNormal gen spec cfg.Hidden outputs
    let k, d = cfg.Components, cfg.Dim
    { Hidden = hidden; Logits = head k; Means = head (k * d); LogDiagonal = head (k * d); OffDiagonal = head (max 1 (k * offDiagonalCount d)) }

/// The mixture for contexts [batch; context]: log weights [batch; K], means [batch; K; d], precision factors U
/// [batch; K; d; d] (upper triangular) and their log-diagonals [batch; K; d].
let mixture (cfg: Config) (p: Params) (context: Tensor) =
    let h = p.Hidden |> Array.fold (fun h l -> relu (applyDense l h)) context
    let batch, k, d = context.shape.[0], int64 cfg.Components, int64 cfg.Dim
    let logWeights = torch.nn.functional.log_softmax (applyDense p.Logits h, 1L)
    let means = (applyDense p.Means h).reshape(batch, k, d)
    let logDiagonal = (applyDense p.LogDiagonal h).reshape(batch, k, d)
    let upper =
        if d = 1L then
            // No off-diagonal: the head's one placeholder output enters times 0, so gradients by autograd.grad (which
            // fails on a leaf outside the graph) cover every parameter.
            (applyDense p.OffDiagonal h).reshape(batch, 1L, 1L, 1L).expand(batch, k, 1L, 1L) * 0.0
        else
            // The strict upper triangle, row by row, scattered into a d x d matrix per component.
            let flat =
                [| for r in 0L .. d - 1L do
                       for c in r + 1L .. d - 1L -> r * d + c |]
            use index = torch.tensor (flat, dtype = torch.int64)
            let off = (applyDense p.OffDiagonal h).reshape(batch, k, int64 (offDiagonalCount cfg.Dim))
            torch.zeros([| batch; k; d * d |], dtype = context.dtype).index_copy(2L, index, off).reshape(batch, k, d, d)
    logWeights, means, upper + torch.diag_embed (logDiagonal.exp ()), logDiagonal

/// log q(theta | s) [batch] for theta [batch; d] and contexts [batch; context].
let logProb (cfg: Config) (p: Params) (context: Tensor) (theta: Tensor) : Tensor =
    let logWeights, means, u, logDiagonal = mixture cfg p context
    let centred = (theta.unsqueeze 1L - means).unsqueeze(-1L)
    let z = u.matmul(centred).squeeze(-1L)
    let logNormal = -0.5 * float cfg.Dim * log (2.0 * System.Math.PI) + logDiagonal.sum (-1L) - 0.5 * z.square().sum(-1L)
    (logWeights + logNormal).logsumexp(1L)

/// `count` samples of theta per context: [batch; count; d], drawn from `gen` (component by its weight, then
/// mu + U^-1 eps).
let sample (cfg: Config) (p: Params) (gen: torch.Generator) (count: int) (context: Tensor) : Tensor =
    use _ = torch.no_grad ()
    let logWeights, means, u, _ = mixture cfg p context
    let batch, d = context.shape.[0], int64 cfg.Dim
    let chosen = torch.multinomial (logWeights.exp (), int64 count, true, generator = gen)
    let pick (t: Tensor) =
        let shape = Array.append [| batch; int64 count |] t.shape.[2..]
        let index = chosen.reshape(Array.append [| batch; int64 count |] (Array.create (t.dim () - 2L |> int) 1L)).expand(shape)
        t.gather (1L, index)
    let eps = torch.randn ([| batch; int64 count; d; 1L |], dtype = context.dtype, generator = gen)
    let offset = torch.linalg.solve_triangular (pick u, eps, upper = true)
    pick means + offset.squeeze (-1L)
