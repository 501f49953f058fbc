/// The z-scoring that sbi puts in front of its density estimators: theta and the context are shifted and scaled by
/// their training means and standard deviations, so a spline flow's interval [-B, B] covers the data whatever their
/// units. Fixed numbers, not parameters: fitted once on the training pairs, recorded with the estimator.
module Vae.Model.Density.Standardization

open TorchSharp
open Vae.Model.Interop

/// Per-column means and standard deviations.
type Statistics = { Mean: float[]; Std: float[] }

/// The smallest standard deviation used: a constant column is shifted, not blown up.
let minimumStd = 1e-8

/// The statistics of the columns of `x` [n; k] (standard deviation with n - 1, floored at `minimumStd`).
let fit (x: Tensor) : Statistics =
    use x64 = x.to_type torch.float64
    use mean = x64.mean ([| 0L |])
    use std = if x.shape.[0] > 1L then x64.std (0L) else torch.ones_like mean
    { Mean = toArray mean; Std = toArray std |> Array.map (max minimumStd) }

/// The identity: for a side with nothing to standardize (a context of zero columns).
let identity (columns: int) : Statistics = { Mean = Array.zeroCreate columns; Std = Array.create columns 1.0 }

let private row (values: float[]) (like: Tensor) = torch.tensor(values, dtype = like.dtype, device = like.device).unsqueeze(0L)

/// (x - mean) / std, column by column.
let apply (st: Statistics) (x: Tensor) : Tensor = (x - row st.Mean x) / row st.Std x

/// x * std + mean: the inverse of `apply`.
let undo (st: Statistics) (x: Tensor) : Tensor = x * row st.Std x + row st.Mean x

/// The log density of theta given s, from an estimator `logProb` of standardized values: its value at the
/// standardized pair minus sum log std of theta (the change of variables).
let logProb (theta: Statistics) (context: Statistics) (logProb: Tensor -> Tensor -> Tensor) (s: Tensor) (t: Tensor) : Tensor =
    logProb (apply context s) (apply theta t) - (theta.Std |> Array.sumBy log)

/// Samples [batch; count; d] in theta's units from an estimator `sample` of standardized values.
let sample (theta: Statistics) (context: Statistics) (sample: Tensor -> Tensor) (s: Tensor) : Tensor =
    let standardized: Tensor = sample (apply context s)
    standardized * torch.tensor (theta.Std, dtype = standardized.dtype) + torch.tensor (theta.Mean, dtype = standardized.dtype)
