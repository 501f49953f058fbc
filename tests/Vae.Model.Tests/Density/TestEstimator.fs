module Vae.Model.Tests.Density.TestEstimator

open System.IO
open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Density
open Vae.Model.Tests.TestUtil
open Vae.Model.Tests.Density.DensityChecks

let private settings kind = { Estimator.defaults kind 3 2 with Hidden = 8; Components = 3; Transforms = 2; Bins = 4 }

// An estimator with non-trivial statistics, so the standardization shows in every value.
let private fitted kind : Estimator.Fitted =
    { Settings = settings kind
      Theta = { Mean = [| 0.3; -1.7 |]; Std = [| 2.5; 0.1 |] }
      Context = { Mean = [| 1.0; 0.0; -2.0 |]; Std = [| 0.5; 3.0; 1.5 |] }
      Net = Estimator.init (settings kind) TensorSpec.Float64 (generator 3UL) }

[<Fact>]
let ``the log density is the standardized one minus the sum of log std`` () =
    ensureTorch ()
    for kind in [ Estimator.Mdn; Estimator.Flow ] do
        let f = fitted kind
        let s, theta = contexts 1UL 7L, torch.randn ([| 7L; 2L |], dtype = torch.float64, generator = generator 2UL)
        let z = Standardization.apply f.Theta theta
        let expected = Estimator.standardizedLogProb f.Settings f.Net (Standardization.apply f.Context s) z - log (2.5 * 0.1)
        assertClose 1e-12 1e-12 (toArray expected) (toArray (Estimator.logProb f s theta))
        assertClose 1e-12 1e-12 (toArray expected) (toArray (Estimator.logProbChunked f s theta))

[<Fact>]
let ``a saved estimator loads with the same settings, statistics and log densities, bit for bit`` () =
    ensureTorch ()
    for kind in [ Estimator.Mdn; Estimator.Flow ] do
        let f = fitted kind
        let path = Path.Combine(Path.GetTempPath(), $"estimator-{System.Guid.NewGuid():N}.safetensors")
        try
            EstimatorFile.save path f
            let g = EstimatorFile.load path torch.CPU
            Assert.Equal(f.Settings, g.Settings)
            Assert.Equal(f.Theta, g.Theta)
            Assert.Equal(f.Context, g.Context)
            let s, theta = contexts 4UL 20L, torch.randn ([| 20L; 2L |], dtype = torch.float64, generator = generator 5UL)
            Assert.Equal<float[]>(toArray (Estimator.logProb f s theta), toArray (Estimator.logProb g s theta))
        finally
            File.Delete path

[<Fact>]
let ``samples come in chunks as [batch; count; dim], the same as unchunked, with their log densities`` () =
    ensureTorch ()
    for kind in [ Estimator.Mdn; Estimator.Flow ] do
        let f = fitted kind
        // 40,000 samples per context: more than one context per chunk does not fit, so each context is a chunk.
        let s = contexts 6UL 3L
        let samples = Estimator.sample f (generator 7UL) 40000 s
        Assert.Equal<int64[]>([| 3L; 40000L; 2L |], samples.shape)
        Assert.Equal<int64[]>([| 3L; 40000L |], (Estimator.logProbOfSamples f s samples).shape)
        // A chunk of one context draws as a call for that context alone would.
        let first = Estimator.sample f (generator 7UL) 40000 (s.narrow (0L, 0L, 1L))
        Assert.Equal<float[]>(toArray first, toArray (samples.narrow (0L, 0L, 1L)))
        // The samples are in theta's units: their spreads differ as the statistics do (25 : 1), not as standardized values.
        let spread = toArray (samples.std ([| 0L; 1L |]))
        Assert.True(spread.[0] > 3.0 * spread.[1], $"{spread.[0]} vs {spread.[1]}")
