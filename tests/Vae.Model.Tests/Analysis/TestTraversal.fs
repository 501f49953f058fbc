module Vae.Model.Tests.Analysis.TestTraversal

open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Analysis
open Vae.Model.Tests.TestUtil

let private cfg = { DenseVae.mlpDefault with Input = 16; Hidden = [ 8 ]; Latent = 3 }
let private vae = DenseVae.model cfg

[<Fact>]
let ``prior quantiles are the standard normal's`` () =
    ensureTorch ()
    assertClose
        1e-9
        0.0
        [| -1.6448536269514729; -0.8416212335729143; 0.0; 0.8416212335729143; 1.6448536269514729 |]
        (Traversal.normalQuantiles Traversal.studyQuantiles)

[<Fact>]
let ``traversal codes move one dimension of the mean code and decode it to data means`` () =
    ensureTorch ()
    let p = DenseVae.init cfg TensorSpec.Float64 (generator 1UL)
    let x = torch.rand ([| 40L; 16L |], dtype = torch.float64, generator = generator 2UL)
    let mu, _ = Inference.encodeDataset vae p x 8
    let baseCode = Traversal.meanCode mu
    assertClose 1e-12 1e-12 (toArray (mu.mean ([| 0L |]))) baseCode
    let codes = Traversal.codes baseCode [| 2; 0 |] Traversal.studyQuantiles
    Assert.Equal(10, codes.Length)
    let q = Traversal.normalQuantiles Traversal.studyQuantiles
    for j in 0..4 do
        assertClose 0.0 0.0 [| baseCode.[0]; baseCode.[1]; q.[j] |] codes.[j]
        assertClose 0.0 0.0 [| q.[j]; baseCode.[1]; baseCode.[2] |] codes.[5 + j]
    let decoded = Traversal.decode vae p TensorSpec.Float64 baseCode [| 2; 0 |] Traversal.studyQuantiles
    let expected = (vae.Decode p (tensor64 [| 10L; 3L |] (Array.concat codes))).sigmoid()
    assertClose 1e-12 1e-12 (toArray expected) (toArray decoded)
    Assert.Throws<System.ArgumentException>(fun () -> Traversal.codes baseCode [| 3 |] Traversal.studyQuantiles |> ignore) |> ignore
