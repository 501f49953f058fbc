module Vae.Model.Tests.Analysis.TestRegression

open Xunit
open TorchSharp
open Vae.Model.Interop
open Vae.Model.Analysis
open Vae.Model.Tests.TestUtil

let private uniform (seed: uint64) (n: int64) (d: int64) = torch.rand ([| n; d |], dtype = torch.float64, generator = generator seed)

let private ridgeFit = Regression.ridge Regression.defaultAlphas 5 7UL
let private knnFit = Regression.knn Regression.defaultKs 5 7UL

[<Fact>]
let ``r2 and rmse match hand-computed values`` () =
    ensureTorch ()
    let truth = tensor64 [| 4L; 1L |] [| 1.0; 2.0; 3.0; 4.0 |]
    let pred = tensor64 [| 4L; 1L |] [| 1.0; 2.0; 3.0; 5.0 |]
    // SS_res = 1, SS_tot = 5.
    assertClose 1e-12 0.0 [| 0.8 |] (Regression.r2 truth pred)
    assertClose 1e-12 0.0 [| 0.5 |] (Regression.rmse truth pred)
    assertClose 1e-12 0.0 [| 0.0 |] (Regression.r2 truth (tensor64 [| 4L; 1L |] (Array.create 4 2.5)))

[<Fact>]
let ``folds are balanced, cover every example and repeat for a seed`` () =
    let f = Regression.foldsOf 103 5 3UL
    Assert.Equal<int[]>(f, Regression.foldsOf 103 5 3UL)
    let sizes = f |> Array.countBy id |> Array.map snd
    Assert.Equal(5, sizes.Length)
    Assert.True(Array.max sizes - Array.min sizes <= 1)
    Assert.NotEqual<int[]>(f, Regression.foldsOf 103 5 4UL)

[<Fact>]
let ``a representation equal to the factors is recovered with R2 = 1`` () =
    ensureTorch ()
    let y = uniform 1UL 1500L 2L * 20.0 + 100.0
    let train, test = y.narrow (0L, 0L, 1000L), y.narrow (0L, 1000L, 500L)
    let ridge = Regression.score ridgeFit train train test test
    Assert.True(ridge.R2 |> Array.forall (fun r -> r > 1.0 - 1e-9), $"ridge R2 {ridge.R2[0]}, {ridge.R2[1]}")
    Assert.True(ridge.Rmse |> Array.forall (fun e -> e < 1e-3))
    let knn = Regression.score knnFit train train test test
    Assert.True(knn.R2 |> Array.forall (fun r -> r > 0.995), $"knn R2 {knn.R2[0]}, {knn.R2[1]}")

[<Fact>]
let ``independent noise recovers nothing: R2 about 0`` () =
    ensureTorch ()
    let x = uniform 2UL 3000L 3L
    let y = uniform 3UL 3000L 2L
    let xs, ys = (x.narrow (0L, 0L, 2000L), x.narrow (0L, 2000L, 1000L)), (y.narrow (0L, 0L, 2000L), y.narrow (0L, 2000L, 1000L))
    for fit in [ ridgeFit; knnFit ] do
        let s = Regression.score fit (fst xs) (fst ys) (snd xs) (snd ys)
        Assert.True(s.R2 |> Array.forall (fun r -> abs r < 0.06), $"R2 {s.R2[0]}, {s.R2[1]}")

[<Fact>]
let ``k-NN recovers a nonlinear factor that ridge cannot, and ridge is invariant to input scale`` () =
    ensureTorch ()
    let x = uniform 4UL 2000L 1L * 2.0 - 1.0
    let y = (x * 3.0).cos()
    let tr, te = x.narrow (0L, 0L, 1500L), x.narrow (0L, 1500L, 500L)
    let ytr, yte = y.narrow (0L, 0L, 1500L), y.narrow (0L, 1500L, 500L)
    let knn = Regression.score knnFit tr ytr te yte
    let ridge = Regression.score ridgeFit tr ytr te yte
    Assert.True(knn.R2.[0] > 0.99, $"knn {knn.R2[0]}")
    Assert.True(ridge.R2.[0] < 0.3, $"ridge {ridge.R2[0]}")
    let scaled = Regression.score ridgeFit (tr * 1000.0) ytr (te * 1000.0) yte
    assertClose 1e-9 1e-9 ridge.R2 scaled.R2

[<Fact>]
let ``recovery is deterministic`` () =
    ensureTorch ()
    let x = uniform 5UL 600L 4L
    let y = x.narrow (1L, 0L, 2L) + uniform 6UL 600L 2L * 0.1
    let run () = Regression.score knnFit (x.narrow (0L, 0L, 400L)) (y.narrow (0L, 0L, 400L)) (x.narrow (0L, 400L, 200L)) (y.narrow (0L, 400L, 200L))
    let a, b = run (), run ()
    Assert.Equal<float[]>(a.Predicted, b.Predicted)
    Assert.Equal<float[]>(a.Chosen, b.Chosen)
