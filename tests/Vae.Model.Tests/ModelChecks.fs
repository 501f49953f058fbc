/// Checks shared by the model test files: shapes, determinism, example independence.
module Vae.Model.Tests.ModelChecks

open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

/// encode gives two [batch; latent] tensors and decode a [batch; features] tensor.
let shapes (vae: Vae<'P>) (p: 'P) (features: int) (spec: TensorSpec) =
    let x = (randn (generator 11UL) spec [| 3L; int64 features |]).sigmoid()
    let mu, logvar = vae.Encode p x
    Assert.Equal<int64[]>([| 3L; int64 vae.LatentDim |], mu.shape)
    Assert.Equal<int64[]>([| 3L; int64 vae.LatentDim |], logvar.shape)
    Assert.Equal<int64[]>([| 3L; int64 features |], (vae.Decode p mu).shape)

/// The same seed gives identical parameters; another seed different ones.
let determinism (init: TorchSharp.torch.Generator -> 'P) =
    let values seed = Params.flatten (init (generator seed)) |> Array.collect toArray
    Assert.Equal<float[]>(values 4UL, values 4UL)
    Assert.NotEqual<float[]>(values 4UL, values 5UL)

/// Each example is encoded on its own: changing one example leaves the others' codes unchanged, and a lone
/// example gets the code it gets inside a batch.
let examplesIndependent (vae: Vae<'P>) (p: 'P) (features: int) =
    let x = (randn (generator 12UL) TensorSpec.Float64 [| 3L; int64 features |]).sigmoid()
    let changed = x.clone ()
    changed.[1L].fill_(TorchSharp.Scalar.op_Implicit 0.9) |> ignore
    let code (t: Tensor) = fst (vae.Encode p t)
    assertClose 1e-12 1e-12 (toArray (code x).[0L]) (toArray (code changed).[0L])
    assertClose 1e-12 1e-12 (toArray (code x).[2L]) (toArray (code changed).[2L])
    Assert.NotEqual<float[]>(toArray (code x).[1L], toArray (code changed).[1L])
    assertClose 1e-12 1e-12 (toArray (code x).[2L]) (toArray (code (x.narrow (0L, 2L, 1L))).[0L])

/// Asserts that `fast` and `reference` are the same function of the same parameters: encoder outputs,
/// decoder outputs and the gradients of a loss using both, within `rel` of each tensor's largest magnitude.
let sameFunction (rel: float) (fast: Vae<'P>) (reference: Vae<'P>) (p: 'P) (features: int) (spec: TensorSpec) =
    let x = TorchSharp.torch.rand ([| 3L; int64 features |], dtype = spec.Dtype, generator = generator 11UL)
    let eps = randn (generator 12UL) spec [| 3L; int64 fast.LatentDim |]
    let run (vae: Vae<'P>) =
        let leaves = Params.flatten p |> Array.map (fun t -> t.detach().requires_grad_(true))
        let q = Params.unflatten p leaves
        let mu, logvar = vae.Encode q x
        let out = vae.Decode q (Latent.reparameterizeWith eps mu logvar)
        let loss = (out * out).sum() + mu.sum () + logvar.sum ()
        let grads = TorchSharp.torch.autograd.grad ([| loss |], leaves) |> Seq.toArray
        Array.append [| mu; logvar; out |] grads |> Array.map (fun t -> t.detach ())
    let names = Array.append [| "mu"; "logvar"; "output" |] (Params.paths p |> Array.map (fun n -> "gradient of " + n))
    Array.iteri2
        (fun i (a: Tensor) (b: Tensor) ->
            Assert.Equal<int64[]>(shapeOf b, shapeOf a)
            let scale = (b.abs().max() |> toScalar) + 1e-30
            let diff = (a - b).abs().max() |> toScalar
            if diff > rel * scale then failwith $"{names.[i]}: max difference {diff:R} exceeds {rel} x {scale:R}")
        (run fast)
        (run reference)

/// The float32 model against float64 truth: `vae` with parameters `p` rounded to float32, run in float32 and in
/// float64 on the same inputs and noise (also rounded to float32, so that only the arithmetic differs); outputs and
/// gradients must agree to `rel` of their largest float64 values. A wrong float32 kernel fails it; a comparison of
/// two float32 kernels could not tell which one is wrong.
let matchesFloat64 (rel: float) (vae: Vae<'P>) (p: 'P) (features: int) =
    let f64, f32 = TorchSharp.torch.ScalarType.Float64, TorchSharp.torch.ScalarType.Float32
    let x = TorchSharp.torch.rand ([| 3L; int64 features |], dtype = f32, generator = generator 11UL)
    let eps = randn (generator 12UL) TensorSpec.Float32 [| 3L; int64 vae.LatentDim |]
    let run (dtype: TorchSharp.torch.ScalarType) =
        let leaves = Params.flatten p |> Array.map (fun t -> t.detach().to_type(f32).to_type(dtype).requires_grad_(true))
        let q = Params.unflatten p leaves
        let mu, logvar = vae.Encode q (x.to_type dtype)
        let out = vae.Decode q (Latent.reparameterizeWith (eps.to_type dtype) mu logvar)
        let loss = (out * out).sum() + mu.sum () + logvar.sum ()
        let grads = TorchSharp.torch.autograd.grad ([| loss |], leaves) |> Seq.toArray
        Array.append [| mu; logvar; out |] grads |> Array.map (fun t -> t.detach().to_type(f64))
    let names = Array.append [| "mu"; "logvar"; "output" |] (Params.paths p |> Array.map (fun n -> "gradient of " + n))
    Array.iteri2
        (fun i (a: Tensor) (b: Tensor) ->
            let scale = (b.abs().max() |> toScalar) + 1e-30
            let diff = (a - b).abs().max() |> toScalar
            if not (diff <= rel * scale) then failwith $"{names.[i]}: float32 differs from float64 by {diff:R}, over {rel} x {scale:R}")
        (run f32)
        (run f64)
