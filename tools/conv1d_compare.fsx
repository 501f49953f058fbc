// Chooses the trace Conv-VAE's kernels, strides and dense layer by measurement: each candidate trains for
// the same small budget on simulated Hodgkin-Huxley traces; we record test reconstruction error and the
// training step time at the study's batch size. Run after `dotnet build -c Release`:
//   dotnet fsi tools/conv1d_compare.fsx [threads]
// The traces: tools/hh_compare_traces.fsx.
#load "hh_compare_traces.fsx"

open System
open System.Diagnostics
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Hh_compare_traces

// --- Candidates ------------------------------------------------------------------------------------------
let latent = 10
let budget, batch = 150, 32
let candidates =
    [ "k3 s2 / k3 s2, heads on 64x1250", { ConvVae1d.referenceConfig with Latent = latent }
      "k9 s4 / k9 s4, dense 256", { ConvVae1d.defaultConfig with Latent = latent; Kernel1 = 9; Stride1 = 4; Kernel2 = 9; Stride2 = 4 }
      "k9 s4 / k9 s4, heads on 64x313",
      { ConvVae1d.defaultConfig with Latent = latent; Kernel1 = 9; Stride1 = 4; Kernel2 = 9; Stride2 = 4; Hidden = 0 }
      "k11 s5 / k11 s5, dense 256 (default)", { ConvVae1d.defaultConfig with Latent = latent } ]

let median (xs: float[]) = (Array.sort xs).[xs.Length / 2]
printfn "| candidate | parameters | test SSE/trace after %d steps (batch %d) | test MSE/sample | step ms, batch 64 (median) |" budget batch
printfn "|---|---|---|---|---|"
for name, cfg in candidates do
    let vae = ConvVae1d.model cfg
    let p = ConvVae1d.init cfg TensorSpec.Float32 (generator 1UL)
    let trainer = Training.studyTrainer vae 1.0 (int64 budget)
    let s = Optim.init trainer.Optimizer p
    let gen = generator 2UL
    let perEpoch = nTrain / batch
    for step in 0 .. budget - 1 do
        use x = train.narrow (0L, int64 (step % perEpoch * batch), int64 batch)
        Training.stepInPlace trainer p s x gen (int64 step) |> ignore
    let recon = Inference.reconstruct vae p test
    let sse = (recon - test).pow(Scalar.op_Implicit 2.0).sum(1L).mean() |> toScalar
    // Step time at the study's batch of 64, on a fresh copy so the trained model is not disturbed.
    let q = Params.copy p
    let sq = Optim.init trainer.Optimizer q
    let times =
        [| for step in 0..11 do
               use x = train.narrow (0L, int64 (step * 64), 64L)
               let sw = Stopwatch.StartNew()
               Training.stepInPlace trainer q sq x gen (int64 step) |> ignore
               if step >= 2 then yield sw.Elapsed.TotalMilliseconds |]
    printfn "| %s | %d | %.3f | %.6f | %.0f |" name (Params.count p) sse (sse / 5000.0) (median times)
printfn "total %.0f s" clock.Elapsed.TotalSeconds
