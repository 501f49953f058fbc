module Vae.Model.Tests.Analysis.TestIwae

open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Analysis
open Vae.Model.Tests.TestUtil

let private cfg = { DenseVae.mlpDefault with Input = 16; Hidden = [ 12 ]; Latent = 2 }
let private vae = DenseVae.model cfg

// Binary data from two prototypes with 10 % of the bits flipped.
let private data () =
    let gen = generator 11UL
    let proto = torch.rand([| 2L; 16L |], dtype = torch.float32, generator = gen).round()
    use half = scalar 0.5
    use tenth = scalar 0.1
    let which = torch.rand([| 256L |], generator = gen).lt(half).to_type(torch.int64)
    let flips = torch.rand([| 256L; 16L |], generator = gen).lt(tenth).to_type(torch.float32)
    (proto.index_select (0L, which) - flips).abs()

// A small trained model: 400 NAdamW steps on the data.
let private trained =
    lazy
        (ensureTorch ()
         let x = data ()
         let trainer = Training.studyTrainer vae 1.0 400L
         let p = DenseVae.init cfg TensorSpec.Float32 (generator 1UL)
         let s = Optim.init trainer.Optimizer p
         let gen = generator 2UL
         for step in 0L .. 399L do
             use _scope = torch.NewDisposeScope()
             Training.stepInPlace trainer p s x gen step |> ignore
         p, x)

[<Fact>]
let ``with one sample the bound is the single-sample negative ELBO for the same noise`` () =
    let p, x = trained.Force()
    let mu, logvar = vae.Encode p x
    let eps = torch.randn ([| 1L; 256L; 2L |], generator = generator 3UL)
    let nll = -(Iwae.logWeights vae p x mu logvar eps).squeeze(0L)
    // Reconstruction through the same z, plus log q - log p(z) written out for diagonal Gaussians.
    let z = Latent.reparameterizeWith (eps.squeeze 0L) mu logvar
    let recon = Losses.bernoulliNllPerExample (vae.Decode p z) x
    let logRatio = (z.square () - eps.squeeze(0L).square() - logvar).sum(1L) * 0.5
    assertClose 1e-4 1e-5 (toArray (recon + logRatio)) (toArray nll)

[<Fact>]
let ``the bound is at most the negative ELBO and does not increase with K`` () =
    let p, x = trained.Force()
    let elbo = (Training.evaluateDataset vae 1.0 (generator 4UL) p x 256).Loss
    let mean k = Iwae.negativeLogLikelihood vae p (generator 5UL) k { Examples = 64; Samples = 100 } x |> Array.average
    let bounds = [| 1; 10; 100; 1000 |] |> Array.map mean
    Assert.True(bounds.[3] <= elbo, $"IWAE K=1000 {bounds[3]} > negative ELBO {elbo}")
    for i in 1 .. bounds.Length - 1 do
        Assert.True(bounds.[i] <= bounds.[i - 1] + 1e-3, $"K bounds not decreasing: %A{bounds}")
    Assert.True(bounds.[3] < bounds.[0] - 0.05, $"no gain from more samples: %A{bounds}")

[<Fact>]
let ``the estimate repeats for a seed, whatever the chunk size, and refuses squared-error decoders`` () =
    let p, x = trained.Force()
    let run chunk = Iwae.negativeLogLikelihood vae p (generator 6UL) 50 { Examples = 256; Samples = chunk } x
    Assert.Equal<float[]>(run 50, run 50)
    // The draws are consumed in the same order whatever the chunking of one batch.
    assertClose 1e-9 1e-9 (run 50) (run 7)
    let traces = DenseVae.model { cfg with Likelihood = Losses.SquaredError }
    Assert.Throws<System.ArgumentException>(fun () -> Iwae.negativeLogLikelihood traces p (generator 6UL) 2 (Iwae.defaultBatching 2) x |> ignore)
    |> ignore
