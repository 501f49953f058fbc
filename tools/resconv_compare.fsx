// Chooses the residual trace VAE's sizes (ResConvVae1d) against the trace Conv-VAE by measurement, as
// tools/conv1d_compare.fsx chose the Conv-VAE's: each candidate trains for the same budget (steps at batch 32,
// latent 2, the study's NAdamW and cosine schedule, seed 1) on simulated Hodgkin-Huxley traces; we record the test
// reconstruction error and the training step time at the study's batch of 64. Run after
// `dotnet build -c Release src/Vae.Model.fs`:
//   dotnet fsi tools/resconv_compare.fsx [threads] [steps]
// The traces: tools/hh_compare_traces.fsx.
#load "hh_compare_traces.fsx"

open System
open System.Diagnostics
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Hh_compare_traces

// --- Candidates ------------------------------------------------------------------------------------------
let latent = 2
let budget = fsi.CommandLineArgs |> Array.tryItem 2 |> Option.map int |> Option.defaultValue 300
let batch = 32
let median (xs: float[]) = (Array.sort xs).[xs.Length / 2]

/// Trains `vae` from `init` for the budget; prints parameters, test SSE, MSE and the median step at batch 64.
let measure (name: string) (vae: Vae<'P>) (init: TensorSpec -> torch.Generator -> 'P) (flops: 'P -> int -> int64) =
    let p = init TensorSpec.Float32 (generator 1UL)
    let trainer = Training.studyTrainer vae 1.0 (int64 budget)
    let s = Optim.init trainer.Optimizer p
    let gen = generator 2UL
    let perEpoch = nTrain / batch
    let sw = Stopwatch.StartNew()
    for step in 0 .. budget - 1 do
        use scope = torch.NewDisposeScope()
        let x = train.narrow (0L, int64 (step % perEpoch * batch), int64 batch)
        Training.stepInPlace trainer p s x gen (int64 step) |> ignore
    let trainSeconds = sw.Elapsed.TotalSeconds
    let sse =
        (use scope = torch.NewDisposeScope() in (Inference.reconstruct vae p test - test).pow(Scalar.op_Implicit 2.0).sum(1L).mean() |> toScalar)
    // Step time at the study's batch of 64, on a fresh copy so the trained model is not disturbed.
    let q = Params.copy p
    let sq = Optim.init trainer.Optimizer q
    let times =
        [| for step in 0..11 do
               use scope = torch.NewDisposeScope()
               let x = train.narrow (0L, int64 (step * 64), 64L)
               let sw = Stopwatch.StartNew()
               Training.stepInPlace trainer q sq x gen (int64 step) |> ignore
               if step >= 2 then yield sw.Elapsed.TotalMilliseconds |]
    printfn
        "| %s | %d | %.2f | %.3f | %.6f | %.0f | %.0f |"
        name
        (Params.count p)
        (float (flops p 64) / 1e9)
        sse
        (sse / 5000.0)
        (median times)
        trainSeconds

printfn "test SSE per trace after %d steps at batch %d; step: median of 10 at batch 64" budget batch
printfn "| candidate | parameters | GFLOP/step at 64 | test SSE/trace | test MSE/sample | step ms | training s |"
printfn "|---|---|---|---|---|---|---|"
let only = fsi.CommandLineArgs |> Array.tryItem 3
let run name f = if only.IsNone || only = Some name then f ()
let conv = { ConvVae1d.defaultConfig with Latent = latent }
run "conv" (fun () -> measure "conv (ConvVae1d default)" (ConvVae1d.model conv) (ConvVae1d.init conv) ConvVae1d.trainingFlops)
let res (name: string) (cfg: ResConvVae1d.Config) =
    let cfg = { cfg with Latent = latent }
    run name (fun () -> measure name (ResConvVae1d.model cfg) (ResConvVae1d.init cfg) ResConvVae1d.trainingFlops)
res "resconv k5 x1" { ResConvVae1d.defaultConfig with BlockKernel = 5; Blocks = 1 }
res "resconv x0 (no blocks)" { ResConvVae1d.defaultConfig with Blocks = 0 }
res "resconv k3 x1" { ResConvVae1d.defaultConfig with Blocks = 1 }
res "resconv k3 x2 (default)" ResConvVae1d.defaultConfig
printfn "total %.0f s" clock.Elapsed.TotalSeconds
