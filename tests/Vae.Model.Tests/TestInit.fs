module Vae.Model.Tests.TestInit

open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let private stdOf (xs: float[]) =
    let m = Array.average xs
    sqrt (xs |> Array.averageBy (fun x -> (x - m) ** 2.0))

[<Fact>]
let ``He and LeCun normal weights have standard deviation sqrt(2 / fanIn) and sqrt(1 / fanIn)`` () =
    ensureTorch ()
    // 200,000 draws: the sample std is within 1% of the true one with overwhelming probability.
    for scheme, expected in [ Init.HeNormal, sqrt (2.0 / 50.0); Init.LecunNormal, sqrt (1.0 / 50.0) ] do
        let w = Init.weight scheme (generator 3UL) TensorSpec.Float64 50L [| 400L; 500L |] |> toArray
        Assert.InRange(stdOf w, expected * 0.99, expected * 1.01)
        Assert.InRange(Array.average w, -0.005 * expected, 0.005 * expected)

[<Fact>]
let ``the same seed gives the same weights and a different seed different ones`` () =
    ensureTorch ()
    let draw seed = Init.weight Init.HeNormal (generator seed) TensorSpec.Float32 10L [| 4L; 10L |] |> toArray
    Assert.Equal<float[]>(draw 1UL, draw 1UL)
    Assert.NotEqual<float[]>(draw 1UL, draw 2UL)

[<Fact>]
let ``std rejects a non-positive fan-in`` () = Assert.Throws<System.ArgumentException>(fun () -> Init.std Init.HeNormal 0L |> ignore) |> ignore
