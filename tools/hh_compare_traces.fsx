// The traces both architecture comparisons train on (tools/conv1d_compare.fsx, tools/resconv_compare.fsx): a compact
// RK4 simulation of the report protocol (gK ~ U(26, 46), gNa ~ U(110, 130), 200 ms at rest, then 50 ms at dt 0.01 ms
// with a 15 uA/cm2 step from 10 ms; min-max scaled per trace), 1,000 training and 200 test traces cached in the temp
// folder, and libtorch set up with the thread count of the first script argument.
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
