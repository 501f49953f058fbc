/// The importance-weighted bound of traces under the real-valued likelihoods (Gaussian with a per-model or a
/// per-sample scale, Laplace) on a small dense VAE trained briefly on tiny synthetic traces.
module Vae.Model.Tests.Analysis.TestIwaeTraces

open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Analysis
open Vae.Model.Tests.TestUtil

let private length = 48L

// 256 noisy sine traces: amplitude U(0.5, 1), phase U(0, 2 pi), two periods, white noise of 0.05.
let private traces () =
    let gen = generator 21UL
    let amp = torch.rand ([| 256L; 1L |], generator = gen) * 0.5 + 0.5
    let phase = torch.rand ([| 256L; 1L |], generator = gen) * (2.0 * System.Math.PI)
    let t = torch.arange(length, dtype = torch.float32).unsqueeze(0L) * (4.0 * System.Math.PI / float length)
    (amp * (t + phase).sin() + torch.randn ([| 256L; length |], generator = gen) * 0.05).to_type(torch.float32)

// A dense VAE trained for 300 NAdamW steps on the traces (full batch).
let private trained (likelihood: Losses.Likelihood) =
    ensureTorch ()
    let cfg = { DenseVae.mlpDefault with Input = int length; Hidden = [ 32 ]; Latent = 2; Likelihood = likelihood }
    let vae = DenseVae.model cfg
    let x = traces ()
    let trainer = Training.studyTrainer vae 1.0 300L
    let p = DenseVae.init cfg TensorSpec.Float32 (generator 1UL)
    let s = Optim.init trainer.Optimizer p
    let gen = generator 2UL
    for step in 0L .. 299L do
        use _scope = torch.NewDisposeScope()
        Training.stepInPlace trainer p s x gen step |> ignore
    vae, p, x

let private likelihoods = [ Losses.Gaussian Losses.PerModel; Losses.Gaussian(Losses.PerSample 1e-3); Losses.Laplace Losses.PerModel ]

[<Fact>]
let ``the trace bound is at most the negative ELBO and does not increase with K`` () =
    for likelihood in likelihoods do
        let vae, p, x = trained likelihood
        let elbo = (Training.evaluateDataset vae 1.0 (generator 4UL) p x 256).Loss
        let mean k = Iwae.negativeLogLikelihood vae p (generator 5UL) k (Iwae.batchingFor length k) x |> Array.average
        let bounds = [| 1; 10; 100 |] |> Array.map mean
        Assert.True(bounds |> Array.forall System.Double.IsFinite, $"{likelihood}: %A{bounds}")
        Assert.True(bounds.[2] <= elbo, $"{likelihood}: IWAE K=100 {bounds[2]} > negative ELBO {elbo}")
        for i in 1 .. bounds.Length - 1 do
            Assert.True(bounds.[i] <= bounds.[i - 1] + 1e-3, $"{likelihood}: K bounds not decreasing: %A{bounds}")

[<Fact>]
let ``with one sample the trace bound is the single-sample negative ELBO for the same noise`` () =
    let vae, p, x = trained (Losses.Gaussian(Losses.PerSample 1e-3))
    let mu, logvar = vae.Encode p x
    let eps = torch.randn ([| 1L; 256L; 2L |], generator = generator 3UL)
    let nll = -(Iwae.logWeights vae p x mu logvar eps).squeeze(0L)
    let z = Latent.reparameterizeWith (eps.squeeze 0L) mu logvar
    let recon = Losses.reconstructionPerExample vae.Likelihood (vae.Decode p z) x
    let logRatio = (z.square () - eps.squeeze(0L).square() - logvar).sum(1L) * 0.5
    assertClose 1e-3 1e-5 (toArray (recon + logRatio)) (toArray nll)
