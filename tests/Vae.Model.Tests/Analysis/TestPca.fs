module Vae.Model.Tests.Analysis.TestPca

open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Analysis
open Vae.Model.Tests.TestUtil

// Low-rank data with decaying component variances plus a little noise, like smooth traces.
let private data (seed: uint64) (n: int64) =
    let gen = generator seed
    let latent =
        torch.randn ([| n; 6L |], dtype = torch.float64, generator = gen) * torch.tensor ([| 9.0; 5.0; 3.0; 2.0; 1.0; 0.5 |], dtype = torch.float64)
    let basis = torch.randn ([| 6L; 300L |], dtype = torch.float64, generator = gen)
    latent.matmul (basis) + torch.randn ([| n; 300L |], dtype = torch.float64, generator = gen) * 0.05 + 3.0

[<Fact>]
let ``randomized components agree with the exact eigendecomposition`` () =
    ensureTorch ()
    let x = data 1UL 400L
    let fitted = Pca.fit 2UL 4 x
    let exact, explained = Pca.principalComponents x 4
    assertClose 1e-6 1e-6 (toArray exact) (toArray (Pca.project fitted x))
    assertClose 1e-9 1e-6 explained fitted.Explained

[<Fact>]
let ``a projection fitted on one split applies to another and repeats for a seed`` () =
    ensureTorch ()
    let x = data 3UL 500L
    let train, test = x.narrow (0L, 0L, 400L), x.narrow (0L, 400L, 100L)
    let a = Pca.fit 5UL 3 train
    Assert.Equal<int64[]>([| 100L; 3L |], (Pca.project a test).shape)
    Assert.Equal<float[]>(toArray (Pca.project a test), toArray (Pca.project (Pca.fit 5UL 3 train) test))
    // The test projection is the test data's coordinates on the training components.
    let centred = test - train.mean ([| 0L |], keepdim = true)
    assertClose 1e-9 1e-9 (toArray (centred.matmul a.Components)) (toArray (Pca.project a test))
    Assert.Throws<System.ArgumentException>(fun () -> Pca.fit 1UL 0 train |> ignore) |> ignore

let private sampleVariance (column: float[]) =
    let m = Array.average column
    (column |> Array.sumBy (fun v -> (v - m) ** 2.0)) / float (column.Length - 1)

[<Fact>]
let ``principalComponents of independent axes picks the widest axes, in order, with their variance share`` () =
    ensureTorch ()
    let torch = TorchSharp.torch.ScalarType.Float64
    let scales = TorchSharp.torch.tensor ([| 1.0; 3.0; 2.0 |], dtype = torch)
    let x = TorchSharp.torch.randn ([| 400L; 3L |], dtype = torch, generator = generator 3UL) * scales
    let projected, explained = Pca.principalComponents x 2
    Assert.Equal<int64[]>([| 400L; 2L |], projected.shape)
    let column (t: TorchSharp.torch.Tensor) (j: int64) = toArray (t.select (1L, j))
    let centred (c: float[]) = let m = Array.average c in c |> Array.map (fun v -> v - m)
    // Sample correlations between the columns are small but not zero: the components are the axes to ~1e-1.
    let corr (a: float[]) (b: float[]) =
        let d = Array.map2 (*) a b |> Array.sum
        d / sqrt ((Array.sumBy (fun v -> v * v) a) * (Array.sumBy (fun v -> v * v) b))
    Assert.True(corr (column projected 0L) (centred (column x 1L)) > 0.99)
    Assert.True(corr (column projected 1L) (centred (column x 2L)) > 0.99)
    let total = [ 0L; 1L; 2L ] |> List.sumBy (fun j -> sampleVariance (column x j))
    assertClose 1e-9 1e-9 [| sampleVariance (column projected 0L) / total; sampleVariance (column projected 1L) / total |] explained
    Assert.True(explained.[0] > explained.[1])

[<Fact>]
let ``principalComponents onto all components is a rotation: distances kept, variances descending, shares sum to one`` () =
    ensureTorch ()
    let x = TorchSharp.torch.randn ([| 50L; 4L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator 4UL)
    let mixed = x.matmul (TorchSharp.torch.randn ([| 4L; 4L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator 5UL))
    let projected, explained = Pca.principalComponents mixed 4
    assertClose 1e-6 1e-9 (toArray (TorchSharp.torch.cdist (mixed, mixed))) (toArray (TorchSharp.torch.cdist (projected, projected)))
    let variances = [| for j in 0L .. 3L -> sampleVariance (toArray (projected.select (1L, j))) |]
    Assert.Equal<float[]>(Array.sortDescending variances, variances)
    Assert.Equal(1.0, Array.sum explained, 9)

[<Fact>]
let ``principalComponents is deterministic in sign and keeps the dtype`` () =
    ensureTorch ()
    let x = TorchSharp.torch.randn ([| 30L; 5L |], generator = generator 6UL)
    let a, _ = Pca.principalComponents x 2
    let b, _ = Pca.principalComponents (x.clone ()) 2
    Assert.Equal(TorchSharp.torch.ScalarType.Float32, a.dtype)
    Assert.Equal<float[]>(toArray a, toArray b)
    Assert.Throws<System.ArgumentException>(fun () -> Pca.principalComponents x 6 |> ignore) |> ignore
    Assert.Throws<System.ArgumentException>(fun () -> Pca.principalComponents (x.narrow (0L, 0L, 1L)) 1 |> ignore) |> ignore

/// Counts live tensors, a process-wide number: runs with no other test beside it.
[<Collection("process-wide measurements")>]
module BatchedFit =
    [<Fact>]
    let ``fitted on batches of any size the components agree with the exact ones and hold no tensor per batch`` () =
        ensureTorch ()
        let x = data 7UL 450L
        let exact, explained = Pca.principalComponents x 3
        // Uneven batches, as a split read from a file in blocks gives them; each is a fresh tensor the fit disposes.
        let batches (size: int64) () = seq { for start in 0L .. size .. 449L -> x.narrow(0L, start, min size (450L - start)).clone() }
        for size in [ 1000L; 64L; 7L ] do
            let live = torch.Tensor.TotalCount
            let fitted = Pca.fitBatches 2UL 3 (batches size)
            let projected = Pca.projectBatches fitted (batches size)
            // The fit leaves its two result tensors and the projection, nothing per batch.
            Assert.InRange(torch.Tensor.TotalCount - live, 0L, 4L)
            assertClose 1e-6 1e-6 (toArray exact) (toArray projected)
            assertClose 1e-9 1e-6 explained fitted.Explained
            Assert.Equal<float[]>(toArray (Pca.project fitted x), toArray projected)
