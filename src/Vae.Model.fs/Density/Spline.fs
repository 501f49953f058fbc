/// The monotonic rational-quadratic spline of neural spline flows (Durkan, Bekasov, Murray & Papamakarios 2019),
/// elementwise: K bins on [-B, B] whose widths, heights and inner-knot derivatives come from unconstrained values,
/// the identity with derivative 1 outside (linear tails), so any real input is mapped and the map is smooth.
module Vae.Model.Density.Spline

open TorchSharp
open Vae.Model.Interop

/// The smallest bin width and height (as fractions of 2B) and knot derivative, so the map stays invertible.
let minBinWidth, minBinHeight, minDerivative = 1e-3, 1e-3, 1e-3

/// Unconstrained values per element: K widths, K heights, K - 1 inner derivatives.
let parameterCount (bins: int) = 3 * bins - 1

// Knot positions [..., K + 1] from K unconstrained sizes: softmax, floored at `minimum`, summed and stretched to [-B, B].
let private knots (bound: float) (minimum: float) (unnormalized: Tensor) =
    let bins = unnormalized.shape.[unnormalized.shape.Length - 1]
    let sizes = minimum + (1.0 - minimum * float bins) * torch.nn.functional.softmax (unnormalized, -1L)
    let cumulative = torch.nn.functional.pad (sizes.cumsum (-1L), [| 1L; 0L |])
    let positions = 2.0 * bound * cumulative - bound
    // The ends exactly at -B and B, whatever the rounding of the sum.
    let last = positions.shape.[positions.shape.Length - 1] - 1L
    let inner = positions.narrow (-1L, 1L, last - 1L)
    use low = scalar -bound
    use high = scalar bound
    let lo = torch.full_like (positions.narrow (-1L, 0L, 1L), low)
    torch.cat ([| lo; inner; torch.full_like (lo, high) |], -1L)

// The entry of `values` [..., n] in each element's bin [...].
let private atBin (values: Tensor) (bin: Tensor) = values.gather(-1L, bin.unsqueeze (-1L)).squeeze(-1L)

/// y = spline(x) and log |dy/dx| for x [...] and parameters [..., 3K - 1] (widths, heights, derivatives); with
/// `inverse`, x = spline^-1(y) and log |dx/dy|.
let transform (bins: int) (bound: float) (inverse: bool) (input: Tensor) (parameters: Tensor) : Tensor * Tensor =
    let k = int64 bins
    let w = parameters.narrow (-1L, 0L, k)
    let h = parameters.narrow (-1L, k, k)
    let d = parameters.narrow (-1L, 2L * k, k - 1L)
    let xs = knots bound minBinWidth w
    let ys = knots bound minBinHeight h
    // Derivative 1 at -B and B, where the linear tails join.
    let one = log (exp (1.0 - minDerivative) - 1.0)
    let derivatives = minDerivative + torch.nn.functional.softplus (torch.nn.functional.pad (d, [| 1L; 1L |], value = one))
    // Scalars bound for the duration of the calls that read them (TorchSharp does not keep them alive).
    use low = scalar -bound
    use high = scalar bound
    use first = (0L).ToScalar()
    use last = (k - 1L).ToScalar()
    use unit = (1L).ToScalar()
    let inside = input.ge(low).logical_and(input.le high)
    let x = input.clamp (low, high)
    // The bin of each element: the last knot at or below it, among the first K.
    let searched = if inverse then ys else xs
    let bin = (x.unsqueeze(-1L).ge(searched.narrow (-1L, 0L, k))).sum(-1L).sub(unit).clamp(first, last)
    let x0, width = atBin xs bin, atBin (xs.diff (1L, -1L)) bin
    let y0, height = atBin ys bin, atBin (ys.diff (1L, -1L)) bin
    let dk, dk1 = atBin derivatives bin, atBin (derivatives.narrow (-1L, 1L, k)) bin
    let slope = height / width
    let curve = dk + dk1 - 2.0 * slope
    let output, theta =
        if inverse then
            // theta solves a quadratic in the bin's own coordinates (the stable root).
            let dy = x - y0
            let a = height * (slope - dk) + dy * curve
            let b = height * dk - dy * curve
            let c = -slope * dy
            let theta = 2.0 * c / (-b - (b.square () - 4.0 * a * c).clamp_min(0.0).sqrt())
            theta * width + x0, theta
        else
            let theta = (x - x0) / width
            let t1 = theta * (1.0 - theta)
            y0 + height * (slope * theta.square () + dk * t1) / (slope + curve * t1), theta
    let t1 = theta * (1.0 - theta)
    let denominator = slope + curve * t1
    let numerator = slope.square () * (dk1 * theta.square () + 2.0 * slope * t1 + dk * (1.0 - theta).square())
    let logDet = numerator.log () - 2.0 * denominator.log ()
    torch.where (inside, output, input), torch.where (inside, (if inverse then -logDet else logDet), torch.zeros_like input)
