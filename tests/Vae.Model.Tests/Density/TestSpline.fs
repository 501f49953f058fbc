module Vae.Model.Tests.Density.TestSpline

open Xunit
open TorchSharp
open Vae.Model.Interop
open Vae.Model.Density
open Vae.Model.Tests.TestUtil

let private bins, bound = 8, 3.0

// Inputs over [-5, 5] (inside the spline's interval and in both tails) and random parameters for each.
let private case (seed: uint64) (n: int64) =
    let gen = generator seed
    let x = torch.linspace (-5.0, 5.0, n, dtype = torch.float64)
    x, torch.randn ([| n; int64 (Spline.parameterCount bins) |], dtype = torch.float64, generator = gen) * 2.0

[<Fact>]
let ``the inverse undoes the spline, inside the interval and in the tails`` () =
    ensureTorch ()
    let x, p = case 1UL 2001L
    let y, logDet = Spline.transform bins bound false x p
    let back, inverseLogDet = Spline.transform bins bound true y p
    assertClose 1e-9 1e-9 (toArray x) (toArray back)
    assertClose 1e-9 1e-9 (toArray logDet) (toArray (-inverseLogDet))
    // The identity outside [-B, B].
    let outside = x.abs().gt(scalar bound)
    Assert.Equal<float[]>(toArray (x.masked_select outside), toArray (y.masked_select outside))

[<Fact>]
let ``the log-determinant is the log of the derivative autograd computes`` () =
    ensureTorch ()
    let x0, p = case 2UL 501L
    let x = x0.detach().requires_grad_(true)
    let y, logDet = Spline.transform bins bound false x p
    // Each output depends on its own input only: the gradient of the sum is the derivative.
    let derivative = (torch.autograd.grad ([| y.sum () |], [| x |])).[0]
    assertClose 1e-9 1e-9 (toArray (derivative.log ())) (toArray logDet)

[<Fact>]
let ``the spline is increasing and maps the interval onto itself`` () =
    ensureTorch ()
    let x, p0 = case 3UL 4001L
    // One set of parameters for every input: the same map along the line.
    let p = p0.narrow(0L, 0L, 1L).expand(4001L, -1L)
    let y = toArray (fst (Spline.transform bins bound false x p))
    Assert.True(Array.pairwise y |> Array.forall (fun (a, b) -> b > a))
    let ends = toArray (fst (Spline.transform bins bound false (torch.tensor ([| -bound; bound |], dtype = torch.float64)) (p.narrow (0L, 0L, 2L))))
    assertClose 1e-12 0.0 [| -bound; bound |] ends
