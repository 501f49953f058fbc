/// The likelihoods of `Losses`: each negative log-likelihood against hand-computed values, the decoder output
/// layout (means, then log-scales), the floor of a per-sample scale, and the models built for each likelihood.
module Vae.Model.Tests.TestLikelihoods

open System
open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

let private log2Pi = log (2.0 * Math.PI)

[<Fact>]
let ``the Gaussian NLL matches hand-computed values`` () =
    ensureTorch ()
    // Two samples: means 0 and 1, sigma 2 for both, x = 1 and 1: 2 (0.5 log 2 pi + log 2) + 1 / (2 * 4) + 0.
    let output = tensor64 [| 1L; 4L |] [| 0.0; 1.0; log 2.0; log 2.0 |]
    let x = tensor64 [| 1L; 2L |] [| 1.0; 1.0 |]
    let expected = log2Pi + 2.0 * log 2.0 + 0.125
    Assert.Equal(expected, Losses.reconstructionPerExample (Losses.Gaussian Losses.PerModel) output x |> toScalar, 12)
    Assert.Equal(-expected, Losses.logLikelihoodPerExample (Losses.Gaussian Losses.PerModel) output x |> toScalar, 12)

[<Fact>]
let ``the Laplace NLL matches hand-computed values`` () =
    ensureTorch ()
    // Means 0 and 1, b = 0.5, x = 1 and 3: 2 log(2 * 0.5) + (1 + 2) / 0.5 = 6.
    let output = tensor64 [| 1L; 4L |] [| 0.0; 1.0; log 0.5; log 0.5 |]
    let x = tensor64 [| 1L; 2L |] [| 1.0; 3.0 |]
    Assert.Equal(6.0, Losses.reconstructionPerExample (Losses.Laplace Losses.PerModel) output x |> toScalar, 12)

[<Fact>]
let ``the derivative term is the squared error of the first differences`` () =
    ensureTorch ()
    // Errors 1, 2, 4 and -1, 0, 3: differences 1, 2 and 1, 3; SSE 21 and 10, of the differences 5 and 10.
    let mean = tensor64 [| 2L; 3L |] [| 1.0; 2.0; 4.0; -1.0; 0.0; 3.0 |]
    let x = zeros TensorSpec.Float64 [| 2L; 3L |]
    Assert.Equal<float[]>([| 5.0; 10.0 |], Losses.derivativeSquaredErrorPerExample mean x |> toArray)
    let loss = Losses.reconstructionPerExample (Losses.SquaredErrorDerivative 0.5) mean x |> toArray
    Assert.Equal<float[]>([| 21.0 + 2.5; 10.0 + 5.0 |], loss)

/// Means, targets and a log sigma: 1-3 examples of 1-6 features in [-2, 2], log sigma in [-3, 2].
let private fixedScale =
    gen {
        let! b = Gen.choose (1, 3)
        let! d = Gen.choose (1, 6)
        let value = Gen.choose (-2_000_000, 2_000_000) |> Gen.map (fun i -> float i / 1e6)
        let! m = Gen.arrayOfLength (b * d) value
        let! x = Gen.arrayOfLength (b * d) value
        let! ls = Gen.choose (-3_000, 2_000) |> Gen.map (fun i -> float i / 1e3)
        return b, d, m, x, ls
    }
    |> Arb.fromGen

// loss_gauss = SSE / (2 sigma^2) + N (log sigma + 0.5 log 2 pi); tolerance 1e-10 relative.
[<Property(MaxTest = 100)>]
let ``a Gaussian with a fixed scale is the squared error up to constants`` () =
    ensureTorch ()
    Prop.forAll fixedScale (fun (b, d, m, x, ls) ->
        let mean, target = tensor64 [| int64 b; int64 d |] m, tensor64 [| int64 b; int64 d |] x
        let output = torch.cat ([| mean; torch.full_like (mean, scalar ls) |], 1L)
        let gauss = Losses.reconstructionPerExample (Losses.Gaussian Losses.PerModel) output target |> toArray
        let sse = Losses.sumSquaredErrorPerExample mean target |> toArray
        let expected = sse |> Array.map (fun s -> s / (2.0 * exp (2.0 * ls)) + float d * (ls + 0.5 * log2Pi))
        Array.forall2 (fun (e: float) a -> abs (a - e) <= 1e-10 * (1.0 + abs e)) expected gauss)

[<Fact>]
let ``a per-sample scale stays above its floor and keeps its gradient`` () =
    ensureTorch ()
    let floor = 0.01
    let raw = tensor64 [| 1L; 4L |] [| -50.0; log floor; 0.0; 3.0 |]
    raw.requires_grad <- true
    let output = torch.cat ([| zeros TensorSpec.Float64 [| 1L; 4L |]; raw |], 1L)
    let _, ls = Losses.split (Losses.Gaussian(Losses.PerSample floor)) output
    let sigma = ls.Value.exp () |> toArray
    Assert.True(sigma |> Array.forall (fun s -> s >= floor), $"sigma below the floor: %A{sigma}")
    // scale = exp raw + floor: 2 floor at raw = log floor, and exp raw + floor above it.
    assertClose 1e-12 1e-12 [| floor + exp -50.0; 2.0 * floor; 1.0 + floor; exp 3.0 + floor |] sigma
    ls.Value.sum().backward()
    let grad = raw.grad |> toArray
    Assert.True(grad |> Array.forall (fun g -> g > 0.0), $"a zero gradient: %A{grad}")
    Assert.Equal(0.5, grad.[1], 12)

[<Fact>]
let ``the mean is the first half of a scaled output and squared-error likelihoods have no log-likelihood`` () =
    ensureTorch ()
    let output = tensor64 [| 2L; 4L |] [| 1.0; 2.0; 9.0; 9.0; 3.0; 4.0; 8.0; 8.0 |]
    let mean = Losses.mean (Losses.Laplace(Losses.PerSample 0.1)) output |> toArray
    Assert.Equal<float[]>([| 1.0; 2.0; 3.0; 4.0 |], mean)
    let x = zeros TensorSpec.Float64 [| 2L; 2L |]
    for lik in [ Losses.SquaredError; Losses.SquaredErrorDerivative 1.0 ] do
        Assert.False(Losses.isProper lik)
        Assert.Throws<ArgumentException>(fun () -> Losses.logLikelihoodPerExample lik output x |> ignore) |> ignore

let private scaled = [ Losses.Gaussian Losses.PerModel; Losses.Gaussian(Losses.PerSample 0.01); Losses.Laplace Losses.PerModel ]

[<Fact>]
let ``every model returns means then log-scales, and a per-model scale adds one parameter`` () =
    ensureTorch ()
    let spec, z = TensorSpec.Float64, zeros TensorSpec.Float64 [| 3L; 2L |]
    let check (vae: Vae<'P>) (init: Losses.Likelihood -> 'P) (baseline: 'P) (features: int) lik =
        let p = init lik
        Assert.Equal<int64[]>([| 3L; int64 (2 * features) |], (vae.Decode p z).shape)
        let extra = Params.count p - Params.count baseline
        match lik with
        | Losses.Gaussian Losses.PerModel
        | Losses.Laplace Losses.PerModel -> Assert.Equal(1L, int64 extra)
        | _ -> Assert.True(extra > 0)
    let dense lik = { DenseVae.mlpDefault with Input = 12; Hidden = [ 8 ]; Latent = 2; Likelihood = lik }
    let conv1 lik = { ConvVae1d.defaultConfig with Length = 40; Filters1 = 2; Filters2 = 3; Hidden = 4; Latent = 2; Likelihood = lik }
    let conv2 lik = { ConvVae2d.defaultConfig with Side = 8; Filters1 = 2; Filters2 = 3; Hidden = 4; Latent = 2; Likelihood = lik }
    for lik in scaled do
        let di l = DenseVae.init (dense l) spec (generator 1UL)
        check (DenseVae.model (dense lik)) di (di Losses.SquaredError) 12 lik
        let c1 l = ConvVae1d.init (conv1 l) spec (generator 1UL)
        check (ConvVae1d.model (conv1 lik)) c1 (c1 Losses.SquaredError) 40 lik
        let c2 l = ConvVae2d.init (conv2 l) spec (generator 1UL)
        check (ConvVae2d.model (conv2 lik)) c2 (c2 Losses.SquaredError) 64 lik

[<Fact>]
let ``a per-model scale leaves the means of the squared-error model of the same seed`` () =
    ensureTorch ()
    let cfg = { DenseVae.mlpDefault with Input = 12; Hidden = [ 8 ]; Latent = 2; Likelihood = Losses.SquaredError }
    let gauss = { cfg with Likelihood = Losses.Gaussian Losses.PerModel }
    let z = randn (generator 3UL) TensorSpec.Float64 [| 4L; 2L |]
    let plain = DenseVae.decode (DenseVae.init cfg TensorSpec.Float64 (generator 1UL)) z
    let p = DenseVae.init gauss TensorSpec.Float64 (generator 1UL)
    let vae = DenseVae.model gauss
    Assert.True(sameValues plain (Inference.mean vae (vae.Decode p z)))
    // Scale 1 at the start: the log-scale half is zero.
    Assert.True((vae.Decode p z).narrow(1L, 12L, 12L).eq(scalar 0.0).all().item<bool>())
