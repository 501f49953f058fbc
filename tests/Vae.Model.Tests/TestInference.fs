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
    let x = TorchSharp.torch.rand ([| 23L; 16L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator 2UL)
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
    let x = TorchSharp.torch.rand ([| 4L; 16L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator 2UL)
    let expected = (vae.Decode p (fst (vae.Encode p x))).sigmoid()
    assertClose 1e-12 1e-12 (toArray expected) (toArray (Inference.reconstruct vae p x))
