module Vae.Model.Tests.Analysis.TestClassification

open Xunit
open TorchSharp
open Vae.Model.Interop
open Vae.Model.Analysis
open Vae.Model.Tests.TestUtil

// Four well-separated Gaussian clusters in 3-d, label = cluster.
let private clusters (seed: uint64) (n: int) =
    let gen = generator seed
    let labels = Array.init n (fun i -> i % 4)
    let centres = tensor64 [| 4L; 3L |] [| 0.0; 0.0; 0.0; 6.0; 0.0; 0.0; 0.0; 6.0; 0.0; 0.0; 0.0; 6.0 |]
    let x =
        centres.index_select (0L, torch.tensor (labels |> Array.map int64)) + torch.randn ([| int64 n; 3L |], dtype = torch.float64, generator = gen)
    x, labels

[<Fact>]
let ``linear probe and k-NN classify separated clusters, deterministically`` () =
    ensureTorch ()
    let xtr, ytr = clusters 1UL 800
    let xte, yte = clusters 2UL 400
    let probe = Classification.linearProbe 4 xtr ytr
    let knn = Classification.knn 4 [| 1; 5; 15 |] 5 3UL xtr ytr
    Assert.True(Classification.accuracy yte (probe.Predict xte) > 0.97)
    Assert.True(Classification.accuracy yte (knn.Predict xte) > 0.97)
    Assert.Equal<int[]>(probe.Predict xte, (Classification.linearProbe 4 xtr ytr).Predict xte)
    // On separated clusters k = 1 is noisier than larger k.
    Assert.NotEqual(1.0, knn.Chosen)

[<Fact>]
let ``labels unrelated to the inputs are classified at chance`` () =
    ensureTorch ()
    let x = torch.randn ([| 1200L; 2L |], dtype = torch.float64, generator = generator 4UL)
    let labels = Array.init 1200 (fun i -> (i * 7919 / 13) % 4)
    let knn = Classification.knn 4 Regression.defaultKs 5 3UL (x.narrow (0L, 0L, 800L)) labels.[..799]
    let acc = Classification.accuracy labels.[800..] (knn.Predict(x.narrow (0L, 800L, 400L)))
    Assert.True(abs (acc - 0.25) < 0.08, $"accuracy {acc}")
    assertClose 0.0 0.0 [| 0.5 |] [| Classification.accuracy [| 1; 2 |] [| 1; 3 |] |]
