// The ratio behind DecoderLikelihood.DerivativeWeight: on a trained HH run's test traces, the sum of squared errors
// of its reconstructions (through the posterior means) over the sum of squared errors of their first differences,
// and the same ratio for the traces themselves about their mean trace. Build the host first (`dotnet build
// src/Vae.Host`), then: dotnet fsi tools/derivative_ratio.fsx <run folder> <data dir>
#r "../src/Vae.Host/bin/Debug/net10.0/TorchSharp.dll"
#r "../src/Vae.Host/bin/Debug/net10.0/Vae.Model.dll"
#r "../src/Vae.Host/bin/Debug/net10.0/Vae.Simulation.dll"
#r "../src/Vae.Host/bin/Debug/net10.0/Vae.Runs.dll"

open Vae.Model
open Vae.Runs.Data
open Vae.Runs.Models
open Vae.Runs.Persistence

NativeSetup.configure (Some 1)
let folder = RunFolder.Open fsi.CommandLineArgs.[1]
let cfg = RunManifest.Read folder
let data = TrainingData.Load(cfg, fsi.CommandLineArgs.[2], null, 1, ignore) :?> HhTraces
let model = TrainedModelLoader.Load(folder, ModelCatalog.Build(cfg, data.Kind, data.Features))
let x = data.Test.All()
let recon = model.Reconstruct x
let sum (t: TorchSharp.torch.Tensor) = Interop.toArray t |> Array.sum
let ratio (m: TorchSharp.torch.Tensor) = sum (Losses.sumSquaredErrorPerExample m x) / sum (Losses.derivativeSquaredErrorPerExample m x)
printfn "test traces %d of %d samples, likelihood %O" data.Test.Count data.Features cfg.EffectiveLikelihood
printfn "reconstruction residuals: SSE / SSE of differences = %.1f" (ratio recon)
printfn "the traces about their mean: SSE / SSE of differences = %.1f" (ratio (x.mean([| 0L |]).unsqueeze(0L).expand_as x))
