module Vae.Model.Tests.TestInference

open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let private cfg = { DenseVae.mlpDefault with Input = 16; Hidden = [ 8 ]; Latent = 3 }
let private vae = DenseVae.model cfg

[<Fact>]
let ``encodeDataset in batches equals encoding everything at once`` () =
    ensureTorch ()
    let p = DenseVae.init cfg TensorSpec.Float64 (generator 1UL)
    let x = TorchSharp.torch.rand([| 23L; 16L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator 2UL)
    let mu, logvar = Inference.encodeDataset vae p x 5
    let mu1, logvar1 = vae.Encode p x
    Assert.Equal<int64[]>([| 23L; 3L |], mu.shape)
    assertClose 1e-12 1e-12 (toArray mu1) (toArray mu)
    assertClose 1e-12 1e-12 (toArray logvar1) (toArray logvar)

[<Fact>]
let ``generate decodes prior draws to Bernoulli means, reproducibly for a seed`` () =
    ensureTorch ()
    let p = DenseVae.init cfg TensorSpec.Float32 (generator 1UL)
    let a = Inference.generate vae p (generator 5UL) 7
    Assert.Equal<int64[]>([| 7L; 16L |], a.shape)
    Assert.True(toArray a |> Array.forall (fun v -> v > 0.0 && v < 1.0))
    Assert.Equal<float[]>(toArray a, toArray (Inference.generate vae p (generator 5UL) 7))
    Assert.NotEqual<float[]>(toArray a, toArray (Inference.generate vae p (generator 6UL) 7))

[<Fact>]
let ``reconstruct decodes the posterior mean`` () =
    ensureTorch ()
    let p = DenseVae.init cfg TensorSpec.Float64 (generator 1UL)
    let x = TorchSharp.torch.rand([| 4L; 16L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator 2UL)
    let expected = (vae.Decode p (fst (vae.Encode p x))).sigmoid()
    assertClose 1e-12 1e-12 (toArray expected) (toArray (Inference.reconstruct vae p x))

let private sampleVariance (column: float[]) =
    let m = Array.average column
    (column |> Array.sumBy (fun v -> (v - m) ** 2.0)) / float (column.Length - 1)

[<Fact>]
let ``principalComponents of independent axes picks the widest axes, in order, with their variance share`` () =
    ensureTorch ()
    let torch = TorchSharp.torch.ScalarType.Float64
    let scales = TorchSharp.torch.tensor([| 1.0; 3.0; 2.0 |], dtype = torch)
    let x = TorchSharp.torch.randn([| 400L; 3L |], dtype = torch, generator = generator 3UL) * scales
    let projected, explained = Inference.principalComponents x 2
    Assert.Equal<int64[]>([| 400L; 2L |], projected.shape)
    let column (t: TorchSharp.torch.Tensor) (j: int64) = toArray (t.select(1L, j))
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
    let x = TorchSharp.torch.randn([| 50L; 4L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator 4UL)
    let mixed = x.matmul(TorchSharp.torch.randn([| 4L; 4L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator 5UL))
    let projected, explained = Inference.principalComponents mixed 4
    assertClose 1e-6 1e-9 (toArray (TorchSharp.torch.cdist(mixed, mixed))) (toArray (TorchSharp.torch.cdist(projected, projected)))
    let variances = [| for j in 0L .. 3L -> sampleVariance (toArray (projected.select(1L, j))) |]
    Assert.Equal<float[]>(Array.sortDescending variances, variances)
    Assert.Equal(1.0, Array.sum explained, 9)

[<Fact>]
let ``principalComponents is deterministic in sign and keeps the dtype`` () =
    ensureTorch ()
    let x = TorchSharp.torch.randn([| 30L; 5L |], generator = generator 6UL)
    let a, _ = Inference.principalComponents x 2
    let b, _ = Inference.principalComponents (x.clone ()) 2
    Assert.Equal(TorchSharp.torch.ScalarType.Float32, a.dtype)
    Assert.Equal<float[]>(toArray a, toArray b)
    Assert.Throws<System.ArgumentException>(fun () -> Inference.principalComponents x 6 |> ignore) |> ignore
    Assert.Throws<System.ArgumentException>(fun () -> Inference.principalComponents (x.narrow(0L, 0L, 1L)) 1 |> ignore) |> ignore
