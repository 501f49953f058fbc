module Vae.Model.Tests.TestParams

open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Layers
open Vae.Model.Tests.TestUtil

type private Inner = { A: Tensor; Stride: int }
type private Outer = { First: Dense; Many: Inner[]; Last: Tensor; Label: string }

let private sample () =
    ensureTorch ()
    { First = { W = tensor64 [| 2L; 2L |] [| 1.0; 2.0; 3.0; 4.0 |]; B = tensor64 [| 2L |] [| 5.0; 6.0 |] }
      Many = [| { A = tensor64 [| 1L |] [| 7.0 |]; Stride = 2 }; { A = tensor64 [| 3L |] [| 8.0; 9.0; 10.0 |]; Stride = 3 } |]
      Last = tensor64 [| 1L |] [| 11.0 |]
      Label = "x" }

[<Fact>]
let ``flatten visits tensor leaves depth first in declaration order and names them by path`` () =
    let p = sample ()
    Assert.Equal<string[]>([| "First.W"; "First.B"; "Many.0.A"; "Many.1.A"; "Last" |], Params.paths p)
    Assert.Equal<float[]>([| 1.0 .. 11.0 |], Params.flatten p |> Array.collect toArray)

[<Fact>]
let ``unflatten rebuilds the structure, keeps static fields and rejects a wrong leaf count`` () =
    let p = sample ()
    let leaves = Params.flatten p |> Array.map (fun t -> t * 2.0)
    let q = Params.unflatten p leaves
    Assert.Equal<int[]>([| 2; 3 |], q.Many |> Array.map (fun i -> i.Stride))
    Assert.Equal("x", q.Label)
    Assert.Equal<float[]>([| 2.0..2.0..22.0 |], Params.flatten q |> Array.collect toArray)
    Assert.Throws<System.ArgumentException>(fun () -> Params.unflatten p leaves.[1..] |> ignore) |> ignore

[<Fact>]
let ``map, map2, fold and count agree with element-wise computations`` () =
    let p = sample ()
    let doubled = Params.map (fun t -> t * 2.0) p
    let summed = Params.map2 (fun a b -> a + b) p doubled
    Assert.Equal<float[]>([| 3.0..3.0..33.0 |], Params.flatten summed |> Array.collect toArray)
    Assert.Equal(66.0, Params.fold (fun s t -> s + (t.sum () |> toScalar)) 0.0 p)
    Assert.Equal(11L, Params.count p)
    Assert.Equal(5, Params.Fold(System.Func<int, Tensor, int>(fun n _ -> n + 1), 0, p))
