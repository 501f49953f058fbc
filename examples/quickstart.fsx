// Quickstart: train an MLP-VAE for a few hundred steps on a small synthetic binary dataset and watch the
// negative ELBO fall. Run after `dotnet build -c Release`:  dotnet fsi examples/quickstart.fsx
#r "../src/Vae.Model.fs/bin/Release/net10.0/TorchSharp.dll"
#r "../src/Vae.Model.fs/bin/Release/net10.0/Vae.Model.dll"

open Vae.Model
open Vae.Model.Interop

NativeSetup.initialize () |> ignore
let threads = NativeSetup.setThreads None

// 512 binary 8x8 "images": two bar prototypes (horizontal, vertical) with 5% of the pixels flipped.
let gen = generator 42UL
let data =
    let protos = [| for k in 0..1 -> Array.init 64 (fun i -> if (if k = 0 then i / 8 else i % 8) = 3 then 1.0 else 0.0) |]
    let pick = (TorchSharp.torch.rand ([| 512L |], generator = gen) |> toArray) |> Array.map (fun u -> if u < 0.5 then 0 else 1)
    let noise = TorchSharp.torch.rand ([| 512L; 64L |], generator = gen) |> toArray
    Array.init (512 * 64) (fun j ->
        let v = protos.[pick.[j / 64]].[j % 64]
        if noise.[j] < 0.05 then 1.0 - v else v)
    |> ofArray TensorSpec.Float32 [| 512L; 64L |]

let cfg = { DenseVae.mlpDefault with Input = 64; Hidden = [ 32 ]; Latent = 2 }
let vae = DenseVae.model cfg
let steps = 400
let batchSize = 64
let trainer = Training.studyTrainer vae 1.0 (int64 steps)
let mutable p = DenseVae.init cfg TensorSpec.Float32 gen
let mutable s = Optim.init trainer.Optimizer p
printfn
    "MLP-VAE %d-%A-%d, %d parameters, %d threads, %s"
    cfg.Input
    cfg.Hidden
    cfg.Latent
    (Params.count p)
    threads
    (string (Schedule.study (int64 steps)))
let clock = System.Diagnostics.Stopwatch.StartNew()
let first = ref nan
for step in 0 .. steps - 1 do
    let start = int64 ((step * batchSize) % 512)
    use batch = data.narrow (0L, start, int64 batchSize)
    let p', s', m = Training.step trainer p s batch gen (int64 step)
    Params.dispose p
    Optim.disposeState s
    p <- p'
    s <- s'
    if step = 0 then first.Value <- m.Loss
    if step % 50 = 0 || step = steps - 1 then printfn "step %4d  loss %8.3f  recon %8.3f  KL %6.3f" step m.Loss m.Reconstruction m.Kl
let final = Training.evaluateDataset vae 1.0 (generator 7UL) p data 128
printfn "whole set: loss %.3f nats (first batch %.3f) in %.1f s" final.Loss first.Value clock.Elapsed.TotalSeconds
if not (final.Loss < 0.6 * first.Value) then
    eprintfn "quickstart: the loss did not fall as expected"
    exit 1
