module Vae.Model.Tests.TestLosses

open System
open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Tests.TestUtil

/// Uniform floats on [lo, hi] in steps of (hi - lo) / 10^6.
let private floatIn lo hi = Gen.choose (0, 1_000_000) |> Gen.map (fun i -> lo + (hi - lo) * float i / 1e6)

/// A batch of Gaussian posteriors: (batch, latent, mu values, logvar values); mu in [-3, 3], logvar in [-4, 2].
let private posteriors =
    gen {
        let! b = Gen.choose (1, 5)
        let! z = Gen.choose (1, 6)
        let! mu = Gen.arrayOfLength (b * z) (floatIn -3.0 3.0)
        let! lv = Gen.arrayOfLength (b * z) (floatIn -4.0 2.0)
        return b, z, mu, lv
    }
    |> Arb.fromGen

let private toTensors (b, z, mu, lv) =
    let shape = [| int64 b; int64 z |]
    tensor64 shape mu, tensor64 shape lv

// KL >= 0 up to rounding (tolerance 1e-12), and per-example KL is the sum of the per-dimension terms.
[<Property(MaxTest = 200)>]
let ``KL is non-negative and sums its per-dimension terms`` () =
    ensureTorch ()
    Prop.forAll posteriors (fun ((b, z, _, _) as post) ->
        let mu, lv = toTensors post
        let perDim = Losses.klPerDimension mu lv |> toArray
        let perEx = Losses.klPerExample mu lv |> toArray
        let sums = Array.init b (fun i -> Array.sum perDim.[i * z .. i * z + z - 1])
        Array.forall (fun k -> k >= -1e-12) perDim && Array.forall2 (fun (s: float) e -> abs (s - e) <= 1e-12 * (1.0 + abs e)) sums perEx)

[<Fact>]
let ``KL is exactly zero at mu = 0, logvar = 0 and positive away from it`` () =
    ensureTorch ()
    let zero = zeros TensorSpec.Float64 [| 3L; 4L |]
    Assert.True(Losses.klPerExample zero zero |> toArray |> Array.forall ((=) 0.0))
    let mu = tensor64 [| 1L; 1L |] [| 0.1 |]
    Assert.Equal(0.005, Losses.klPerExample mu (zeros TensorSpec.Float64 [| 1L; 1L |]) |> toScalar, 15)

// Closed-form KL against a Monte Carlo average of log q(z) - log p(z) over 200,000 draws; tolerance
// 5 standard errors of the estimate (from its own sample variance) + 1e-3.
[<Property(MaxTest = 20)>]
let ``closed-form KL agrees with a Monte Carlo estimate`` (seed: uint64) =
    ensureTorch ()
    Prop.forAll posteriors (fun (_, z, mu, lv) ->
        let n = 200_000L
        let mu1 = tensor64 [| 1L; int64 z |] mu.[0 .. z - 1]
        let lv1 = tensor64 [| 1L; int64 z |] lv.[0 .. z - 1]
        let eps = randn (generator seed) TensorSpec.Float64 [| n; int64 z |]
        let zs = Latent.reparameterizeWith eps mu1 lv1
        // log q(z) - log p(z) = sum_j [-(logvar_j)/2 - eps_j^2/2 + z_j^2/2]: the 2 pi terms cancel.
        let diff = ((lv1 * -0.5) - eps * eps * 0.5 + zs * zs * 0.5).sum(1L)
        let estimate = diff.mean () |> toScalar
        let se = (diff.std () |> toScalar) / sqrt (float n)
        let exact = Losses.klPerExample mu1 lv1 |> toScalar
        abs (estimate - exact) <= 5.0 * se + 1e-3)

// Against -log of the Bernoulli probability of sigmoid(logit), for |logit| <= 15 where the naive formula
// is itself accurate to ~1e-9 relative; tolerance 1e-8 relative + 1e-12.
[<Property(MaxTest = 200)>]
let ``Bernoulli NLL from logits equals -log of the Bernoulli probability of the sigmoid`` () =
    ensureTorch ()
    let cases =
        gen {
            let! n = Gen.choose (1, 12)
            let! logits = Gen.arrayOfLength n (floatIn -15.0 15.0)
            let! bits = Gen.arrayOfLength n (Gen.elements [ 0.0; 1.0 ])
            return logits, bits
        }
    Prop.forAll (Arb.fromGen cases) (fun (logits, bits) ->
        let n = int64 logits.Length
        let nll = Losses.bernoulliNllPerExample (tensor64 [| 1L; n |] logits) (tensor64 [| 1L; n |] bits) |> toScalar
        let reference = Array.map2 (fun l x -> let p = 1.0 / (1.0 + exp -l) in -(x * log p + (1.0 - x) * log (1.0 - p))) logits bits |> Array.sum
        abs (nll - reference) <= 1e-12 + 1e-8 * abs reference)

[<Fact>]
let ``Bernoulli NLL stays finite and exact for extreme logits`` () =
    ensureTorch ()
    let logits = tensor64 [| 1L; 4L |] [| 1000.0; -1000.0; 1000.0; -1000.0 |]
    let bits = tensor64 [| 1L; 4L |] [| 1.0; 0.0; 0.0; 1.0 |]
    Assert.Equal(2000.0, Losses.bernoulliNllPerExample logits bits |> toScalar)

[<Fact>]
let ``sum of squared errors and per-sample MSE`` () =
    ensureTorch ()
    let mean = tensor64 [| 2L; 2L |] [| 1.0; 2.0; 0.0; 0.0 |]
    let x = tensor64 [| 2L; 2L |] [| 0.0; 0.0; 3.0; 0.0 |]
    Assert.Equal<float[]>([| 5.0; 9.0 |], Losses.sumSquaredErrorPerExample mean x |> toArray)
    Assert.Equal<float[]>([| 2.5; 4.5 |], Losses.meanSquaredErrorPerSamplePerExample mean x |> toArray)

/// A batch: (likelihood, output, x, mu, logvar) with 1-4 examples, 1-8 features, 1-3 latent dimensions.
let private batches =
    gen {
        let! b = Gen.choose (1, 4)
        let! d = Gen.choose (1, 8)
        let! z = Gen.choose (1, 3)
        let! lik = Gen.elements [ Losses.Bernoulli; Losses.SquaredError ]
        let! out = Gen.arrayOfLength (b * d) (floatIn -5.0 5.0)
        let! x = Gen.arrayOfLength (b * d) (if lik = Losses.Bernoulli then Gen.elements [ 0.0; 1.0 ] else floatIn 0.0 1.0)
        let! mu = Gen.arrayOfLength (b * z) (floatIn -3.0 3.0)
        let! lv = Gen.arrayOfLength (b * z) (floatIn -4.0 2.0)
        let! beta = floatIn 0.0 10.0
        return b, d, z, lik, out, x, mu, lv, beta
    }
    |> Arb.fromGen

// Batch loss against the mean of single-example losses; tolerance 1e-12 relative.
[<Property(MaxTest = 200)>]
let ``the batch loss is the mean of the per-example losses`` () =
    ensureTorch ()
    Prop.forAll batches (fun (b, d, z, lik, out, x, mu, lv, beta) ->
        let t (w: int) (xs: float[]) = tensor64 [| int64 b; int64 w |] xs
        let batch = Losses.negativeElbo lik beta (t d out) (t d x) (t z mu) (t z lv)
        let single i =
            let s (w: int) (xs: float[]) = tensor64 [| 1L; int64 w |] xs.[i * w .. i * w + w - 1]
            (Losses.negativeElbo lik beta (s d out) (s d x) (s z mu) (s z lv)).Loss |> toScalar
        let mean = Array.init b single |> Array.average
        abs ((toScalar batch.Loss) - mean) <= 1e-12 * (1.0 + abs mean))

// loss(beta) = reconstruction + beta KL exactly up to rounding; tolerance 1e-12 relative.
[<Property(MaxTest = 200)>]
let ``the loss is linear in beta with intercept the reconstruction and slope the KL`` () =
    ensureTorch ()
    Prop.forAll batches (fun (b, d, z, lik, out, x, mu, lv, beta) ->
        let t (w: int) (xs: float[]) = tensor64 [| int64 b; int64 w |] xs
        let at beta = Losses.negativeElbo lik beta (t d out) (t d x) (t z mu) (t z lv)
        let l0, lb = at 0.0, at beta
        let r, k = toScalar l0.Reconstruction, toScalar l0.Kl
        let close (a: float) (e: float) = abs (a - e) <= 1e-12 * (1.0 + abs e)
        close (toScalar l0.Loss) r
        && close (toScalar lb.Loss) (r + beta * k)
        && close (toScalar lb.Kl) k
        && close (toArray lb.KlPerDimension |> Array.sum) k)
