// What fresh measurement noise (--train-noise-sigma) costs per training batch, apart from the step: one epoch of the
// main command's batches (125 of 64 traces, shuffled as epoch 0 shuffles them) read as training reads them, then
// read and given the epoch's noise (EpochMeasurementNoise.AddTo). Same build as `dotnet run`; run after
// `dotnet build src/Vae.Host`:
//   dotnet fsi tools/train-noise-cost.fsx <hh dataset file> [sigma mV] [tau ms] [threads]
#r "../src/Vae.Host/bin/Debug/net10.0/TorchSharp.dll"
#r "../src/Vae.Host/bin/Debug/net10.0/Vae.Model.dll"
#r "../src/Vae.Host/bin/Debug/net10.0/Vae.Simulation.dll"
#r "../src/Vae.Host/bin/Debug/net10.0/PureHDF.dll"
#r "../src/Vae.Host/bin/Debug/net10.0/Vae.Runs.dll"

open System.Diagnostics
open Vae.Model
open Vae.Runs.Data
open Vae.Runs.Settings
open Vae.Runs.Training

NativeSetup.initialize () |> ignore
let args = fsi.CommandLineArgs
let path = args.[1]
let sigma = args |> Array.tryItem 2 |> Option.map float |> Option.defaultValue 1.0
let tau = args |> Array.tryItem 3 |> Option.map float |> Option.defaultValue 0.0
// The noise is drawn on as many threads as libtorch uses (all cores unless given).
let threads = NativeSetup.setThreads (args |> Array.tryItem 4 |> Option.map int)
printfn "threads: %d" threads

let cfg = TrainConfig(HhData = path, Scaling = ScalingMode.Dataset, TrainNoiseSigmaMv = sigma, TrainNoiseTauMs = tau)

let data = HhTraces.Load(cfg, path, RecordedData.None)
let noise = EpochMeasurementNoise.For(cfg, data)
let batch = 64
let order = BatchOrder.ForEpoch(data.Train.Count, ShuffleMode.Epoch, 0L, 0)
let batches = BatchOrder.BatchesPerEpoch(data.Train.Count, batch)

let timeEpoch (withNoise: bool) =
    let clock = Stopwatch.StartNew()

    for b in 0 .. batches - 1 do
        use scope = TorchSharp.torch.NewDisposeScope()
        let rows = order.[b * batch .. (b + 1) * batch - 1]
        let read = data.Train.Rows(rows)
        if withNoise then noise.AddTo(read, rows, 0) |> ignore

    clock.Elapsed.TotalMilliseconds / float batches

// The first pass warms the JIT and the page cache; then read only, and read with noise, three times each.
timeEpoch true |> ignore

for repeat in 1..3 do
    let plain = timeEpoch false
    let noisy = timeEpoch true
    printfn "pass %d: read %.1f ms per batch of %d, read + noise %.1f ms (noise %.1f ms)" repeat plain batch noisy (noisy - plain)
