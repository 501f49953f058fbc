/// The packed model computes what the pure functions compute on the same parameters, bit for bit.
module Vae.Model.Tests.TestTrainedVae

open System.IO
open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let private cfg = TestTraining.cfg
let private vae = TestTraining.vae

// The handle and the parameters it packs, both drawn from the same seed.
let private both () = VaeModel.Dense(cfg).Init(generator 3UL), DenseVae.init cfg TensorSpec.Float32 (generator 3UL)

[<Fact>]
let ``encoding, decoding, reconstructing and generating equal the pure functions`` () =
    ensureTorch ()
    let trained, p = both ()
    let data = TestTraining.data ()
    let struct (mu, logvar) = trained.Encode(data, 5)
    let mu', logvar' = Inference.encodeDataset vae p data 5
    Assert.True(sameValues mu mu' && sameValues logvar logvar')
    Assert.True(sameValues (trained.Decode mu) (Inference.decode vae p mu))
    Assert.True(sameValues (trained.Reconstruct data) (Inference.reconstruct vae p data))
    Assert.True(sameValues (trained.PriorCodes(generator 4UL, 6)) (Inference.priorCodes vae p (generator 4UL) 6))
    Assert.True(sameValues (trained.Generate(generator 4UL, 6)) (Inference.generate vae p (generator 4UL) 6))
    Assert.Equal(2, trained.LatentDim)
    Assert.Equal(Losses.Bernoulli, trained.Likelihood)
    Assert.True(Array.forall2 sameValues (Params.flatten p) trained.Parameters)

[<Fact>]
let ``metrics, likelihood, traversals and FLOPs equal the pure functions`` () =
    ensureTorch ()
    let trained, p = both ()
    let data = TestTraining.data ()
    Assert.Equal(Training.evaluateDataset vae 0.5 (generator 5UL) p data 7, trained.Evaluate(data, 0.5, generator 5UL, 7))
    let nll = Analysis.Iwae.negativeLogLikelihood vae p (generator 6UL) 8 (Analysis.Iwae.defaultBatching 8) data
    Assert.Equal<float[]>(nll, trained.NegativeLogLikelihood(data, 8, generator 6UL))
    let traversal = Analysis.Traversal.decode vae p TensorSpec.Float32 [| 0.1; -0.2 |] [| 1 |] [| 0.2; 0.8 |]
    Assert.True(sameValues traversal (trained.Traverse([| 0.1; -0.2 |], [| 1 |], [| 0.2; 0.8 |])))
    Assert.Equal(DenseVae.trainingFlops p 32, trained.TrainingFlops 32)

[<Fact>]
let ``the trained-model file is the one Checkpoint.saveModel writes`` () =
    ensureTorch ()
    let trained, p = both ()
    let dir = Directory.CreateTempSubdirectory("trained-").FullName
    let viaHandle, direct = Path.Combine(dir, "handle.safetensors"), Path.Combine(dir, "direct.safetensors")
    trained.Save(viaHandle, 12L)
    Checkpoint.saveModel direct p 12L
    Assert.Equal<byte[]>(File.ReadAllBytes direct, File.ReadAllBytes viaHandle)
    Directory.Delete(dir, true)
