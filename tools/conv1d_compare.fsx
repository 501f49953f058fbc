// Chooses the trace Conv-VAE's kernels, strides and dense layer by measurement: each candidate trains for
// the same small budget on simulated Hodgkin-Huxley traces; we record test reconstruction error and the
// training step time at the study's batch size. Run after `dotnet build -c Release`:
//   dotnet fsi tools/conv1d_compare.fsx [threads]
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
