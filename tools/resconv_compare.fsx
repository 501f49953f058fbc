// Chooses the residual trace VAE's sizes (ResConvVae1d) against the trace Conv-VAE by measurement, as
// tools/conv1d_compare.fsx chose the Conv-VAE's: each candidate trains for the same budget (steps at batch 32,
// latent 2, the study's NAdamW and cosine schedule, seed 1) on simulated Hodgkin-Huxley traces; we record the test
// reconstruction error and the training step time at the study's batch of 64. Run after
// `dotnet build -c Release src/Vae.Model.fs`:
//   dotnet fsi tools/resconv_compare.fsx [threads] [steps]
// The traces come from a compact RK4 simulation of the report protocol (gK ~ U(26, 46), gNa ~ U(110, 130),
// 200 ms at rest, then 50 ms at dt 0.01 ms with a 15 uA/cm2 step from 10 ms; min-max scaled per trace).
#r "../src/Vae.Model.fs/bin/Release/net10.0/TorchSharp.dll"
#r "../src/Vae.Model.fs/bin/Release/net10.0/Vae.Model.dll"

open System
open System.Diagnostics
open TorchSharp
open Vae.Model
open Vae.Model.Interop

NativeSetup.initialize () |> ignore
let threads = NativeSetup.setThreads (fsi.CommandLineArgs |> Array.tryItem 1 |> Option.map int)

// --- Hodgkin-Huxley traces -------------------------------------------------------------------------------
let vtrap (x: float) = if abs x < 1e-6 then 1.0 - x / 2.0 else x / -(Math.Exp(-x) - 1.0) // x / (1 - e^-x)
let rates (v: float) =
    let an = 0.1 * vtrap ((v + 55.0) / 10.0)
    let bn = 0.125 * exp (-(v + 65.0) / 80.0)
    let am = vtrap ((v + 40.0) / 10.0)
    let bm = 4.0 * exp (-(v + 65.0) / 18.0)
    let ah = 0.07 * exp (-(v + 65.0) / 20.0)
    let bh = 1.0 / (1.0 + exp (-(v + 35.0) / 10.0))
    an, bn, am, bm, ah, bh
let deriv gK gNa (i: float) (y: float[]) =
    let v, n, m, h = y.[0], y.[1], y.[2], y.[3]
    let an, bn, am, bm, ah, bh = rates v
    [| -gK * n ** 4.0 * (v + 77.0) - gNa * m ** 3.0 * h * (v - 50.0) - 0.3 * (v + 54.4) + i
       an * (1.0 - n) - bn * n
       am * (1.0 - m) - bm * m
       ah * (1.0 - h) - bh * h |]
let trace (rng: Random) =
    let gK, gNa = 26.0 + 20.0 * rng.NextDouble(), 110.0 + 20.0 * rng.NextDouble()
    let an, bn, am, bm, ah, bh = rates -65.0
    let mutable y = [| -65.0; an / (an + bn); am / (am + bm); ah / (ah + bh) |]
    let dt = 0.01
    let rk4 i =
        let add (a: float[]) (b: float[]) s = Array.map2 (fun x d -> x + s * d) a b
        let k1 = deriv gK gNa i y
        let k2 = deriv gK gNa i (add y k1 (dt / 2.0))
        let k3 = deriv gK gNa i (add y k2 (dt / 2.0))
        let k4 = deriv gK gNa i (add y k3 dt)
        y <- Array.init 4 (fun j -> y.[j] + dt / 6.0 * (k1.[j] + 2.0 * k2.[j] + 2.0 * k3.[j] + k4.[j]))
    for _ in 1..20_000 do
        rk4 0.0
    // Sample k is the state at t = k dt; the step current is on for steps starting at t >= 10 ms.
    let v =
        Array.init 5000 (fun k ->
            (let value = y.[0] in
             rk4 (if k >= 1000 then 15.0 else 0.0)
             value))
    let lo, hi = Array.min v, Array.max v
    v |> Array.map (fun x -> (x - lo) / (hi - lo))

let clock = Stopwatch.StartNew()
let rng = Random 20_240_601
let nTrain, nTest = 1000, 200
let cache = IO.Path.Combine(IO.Path.GetTempPath(), "functionalvae-hh-compare-1200.bin")
let all =
    if IO.File.Exists cache then
        let bytes = IO.File.ReadAllBytes cache
        Array.init (nTrain + nTest) (fun i -> Array.init 5000 (fun k -> BitConverter.ToDouble(bytes, (i * 5000 + k) * 8)))
    else
        let traces = Array.init (nTrain + nTest) (fun _ -> trace rng)
        IO.File.WriteAllBytes(cache, traces |> Array.collect (Array.collect BitConverter.GetBytes))
        traces
let toTensor (rows: float[][]) = ofArray TensorSpec.Float32 [| int64 rows.Length; 5000L |] (Array.concat rows)
let train, test = toTensor all.[.. nTrain - 1], toTensor all.[nTrain..]
printfn "simulated %d traces in %.1f s; threads %d" all.Length clock.Elapsed.TotalSeconds threads
let meanTrace = train.mean ([| 0L |], keepdim = true)
let baseline = ((test - meanTrace).pow(Scalar.op_Implicit 2.0).sum(1L).mean()) |> toScalar
printfn "reference: predicting the mean training trace gives test SSE %.2f per trace" baseline

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
