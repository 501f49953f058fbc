module Vae.Model.Tests.TestGrad

open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Layers
open Vae.Model.Tests.TestUtil

/// Central finite differences (h = 1e-6) of `f` with respect to every parameter element, in float64.
let private finiteDifferences (f: 'P -> float) (p: 'P) : float[] =
    let h = 1e-6
    let leaves = Params.flatten p |> Array.map (fun t -> t.clone ())
    [| for li in 0 .. leaves.Length - 1 do
           let flat = leaves.[li].view(-1L)
           for j in 0L .. flat.shape.[0] - 1L do
               let x0 = toScalar flat.[j]
               let at (x: float) =
                   flat.[j] <- TorchSharp.torch.tensor (x, dtype = TorchSharp.torch.ScalarType.Float64)
                   f (Params.unflatten p leaves)
               let d = (at (x0 + h) - at (x0 - h)) / (2.0 * h)
               flat.[j] <- TorchSharp.torch.tensor (x0, dtype = TorchSharp.torch.ScalarType.Float64)
               d |]

/// Autodiff gradient of the negative ELBO (fixed noise: a fresh generator with the same seed per call)
/// against finite differences; tolerance 1e-6 absolute + 1e-5 relative.
let private check (vae: Vae<'P>) (p0: 'P) (x: Tensor) (seed: uint64) =
    // Random nonzero biases: with the zero initial biases, a unit whose inputs are all exactly zero sits on
    // the ReLU kink, where finite differences and the (sub)gradient legitimately disagree.
    let noise = generator (seed + 7UL)
    let p = Params.map (fun t -> t + (TorchSharp.torch.randn (t.shape, dtype = t.dtype, generator = noise) * 0.1)) p0
    let loss q = Training.lossTerms vae 0.7 (generator seed) q x
    let _, grads = Grad.valueAndGrad (fun q -> (loss q).Loss) p
    let analytic = Params.flatten grads |> Array.collect toArray
    let numeric = finiteDifferences (fun q -> toScalar (loss q).Loss) p
    assertClose 1e-6 1e-5 numeric analytic
    true

let private seeds = Gen.choose (0, 100_000) |> Gen.map uint64 |> Arb.fromGen

[<Property(MaxTest = 5)>]
let ``dense VAE gradients agree with finite differences`` () =
    ensureTorch ()
    Prop.forAll seeds (fun seed ->
        let cfg = { DenseVae.dnnDefault with Input = 5; Hidden = [ 4; 3 ]; Latent = 2 }
        let p = DenseVae.init cfg TensorSpec.Float64 (generator seed)
        let x = (TorchSharp.torch.rand ([| 3L; 5L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator (seed + 1UL))).round()
        check (DenseVae.model cfg) p x seed)

[<Property(MaxTest = 3)>]
let ``trace Conv-VAE gradients agree with finite differences`` () =
    ensureTorch ()
    Prop.forAll seeds (fun seed ->
        let cfg =
            { ConvVae1d.defaultConfig with
                Length = 12
                Filters1 = 2
                Filters2 = 3
                Kernel1 = 3
                Stride1 = 2
                Kernel2 = 3
                Stride2 = 2
                Hidden = 4
                Latent = 2 }
        let p = ConvVae1d.init cfg TensorSpec.Float64 (generator seed)
        let x = TorchSharp.torch.rand ([| 2L; 12L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator (seed + 1UL))
        check (ConvVae1d.model cfg) p x seed)

[<Property(MaxTest = 2)>]
let ``image Conv-VAE gradients agree with finite differences`` () =
    ensureTorch ()
    Prop.forAll seeds (fun seed ->
        let cfg = { ConvVae2d.defaultConfig with Side = 4; Filters1 = 2; Filters2 = 2; Hidden = 3; Latent = 2 }
        let p = ConvVae2d.init cfg TensorSpec.Float64 (generator seed)
        let x = (TorchSharp.torch.rand ([| 2L; 16L |], dtype = TorchSharp.torch.ScalarType.Float64, generator = generator (seed + 1UL))).round()
        check (ConvVae2d.model cfg) p x seed)

[<Fact>]
let ``valueAndGrad leaves no gradient state on the parameters`` () =
    ensureTorch ()
    let p = { Dense.W = tensor64 [| 1L; 2L |] [| 1.0; 2.0 |]; B = tensor64 [| 1L |] [| 0.5 |] }
    let x = tensor64 [| 1L; 2L |] [| 3.0; -1.0 |]
    let value, g = Grad.valueAndGrad (fun q -> (applyDense q x).pow(TorchSharp.Scalar.op_Implicit 2.0).sum()) p
    // y = 3 - 2 + 0.5 = 1.5; d(y^2)/dW = 2 y x, d/db = 2 y.
    Assert.Equal(2.25, toScalar value)
    Assert.Equal<float[]>([| 9.0; -3.0 |], toArray g.W)
    Assert.Equal<float[]>([| 3.0 |], toArray g.B)
    Assert.False(p.W.requires_grad)
    Assert.True(isNull p.W.grad)
