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
    let latent = torch.randn([| n; 6L |], dtype = torch.float64, generator = gen) * torch.tensor([| 9.0; 5.0; 3.0; 2.0; 1.0; 0.5 |], dtype = torch.float64)
    let basis = torch.randn([| 6L; 300L |], dtype = torch.float64, generator = gen)
    latent.matmul(basis) + torch.randn([| n; 300L |], dtype = torch.float64, generator = gen) * 0.05 + 3.0

[<Fact>]
let ``randomized components agree with the exact eigendecomposition`` () =
    ensureTorch ()
    let x = data 1UL 400L
    let fitted = Pca.fit 2UL 4 x
    let exact, explained = Inference.principalComponents x 4
    assertClose 1e-6 1e-6 (toArray exact) (toArray (Pca.project fitted x))
    assertClose 1e-9 1e-6 explained fitted.Explained

[<Fact>]
let ``a projection fitted on one split applies to another and repeats for a seed`` () =
    ensureTorch ()
    let x = data 3UL 500L
    let train, test = x.narrow(0L, 0L, 400L), x.narrow(0L, 400L, 100L)
    let a = Pca.fit 5UL 3 train
    Assert.Equal<int64[]>([| 100L; 3L |], (Pca.project a test).shape)
    Assert.Equal<float[]>(toArray (Pca.project a test), toArray (Pca.project (Pca.fit 5UL 3 train) test))
    // The test projection is the test data's coordinates on the training components.
    let centred = test - train.mean([| 0L |], keepdim = true)
    assertClose 1e-9 1e-9 (toArray (centred.matmul a.Components)) (toArray (Pca.project a test))
    Assert.Throws<System.ArgumentException>(fun () -> Pca.fit 1UL 0 train |> ignore) |> ignore
