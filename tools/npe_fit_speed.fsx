// Times Density.Fit (sbi's training loop) on 8,000 pairs of a 2-d context and a 2-d theta, for both estimator kinds.
// Build first: `dotnet build -c Release src/Vae.Model.fs`; run: `dotnet fsi tools/npe_fit_speed.fsx [threads]`.
// theta uniform on [0.5, 1.5] x [0.5, 1.5], s = (theta1 theta2, theta1 / theta2) + 0.05 noise: a posterior with curved,
// correlated contours, as a toy for conductances seen through features.
#r "../src/Vae.Model.fs/bin/Release/net10.0/TorchSharp.dll"
#r "../src/Vae.Model.fs/bin/Release/net10.0/Vae.Model.dll"

open System.Diagnostics
open TorchSharp
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Density

NativeSetup.initialize () |> ignore
let threads = NativeSetup.setThreads (fsi.CommandLineArgs |> Array.tryItem 1 |> Option.map int)
printfn "threads: %d" threads

let n = 8000L
let gen = generator 1UL
let theta = torch.rand ([| n; 2L |], dtype = torch.float64, generator = gen) + 0.5
let t1, t2 = theta.select (1L, 0L), theta.select (1L, 1L)
let context = torch.stack ([| t1 * t2; t1 / t2 |], 1L) + 0.05 * torch.randn ([| n; 2L |], dtype = torch.float64, generator = gen)

for kind in [ Estimator.Mdn; Estimator.Flow ] do
    let watch = Stopwatch.StartNew()
    let o = Fit.Options.Defaults
    let data = Fit.split o context theta
    let report (st: Fit.State) =
        if st.Epoch % 10 = 0 then
            printfn "  epoch %d: %.1f s, validation %.4f" st.Epoch watch.Elapsed.TotalSeconds st.History.[st.Epoch - 1].Validation
    let st = Fit.run o data report (Fit.start (Estimator.defaults kind 2 2) o)
    let fitted, history = Fit.fitted data st, st.History
    let seconds = watch.Elapsed.TotalSeconds
    let best = history |> Array.maxBy (fun e -> e.Validation)
    printfn
        "%A: %d epochs in %.1f s (%.2f s/epoch), best validation mean log q %.4f at epoch %d"
        kind
        history.Length
        seconds
        (seconds / float history.Length)
        best.Validation
        best.Epoch
    let watch = Stopwatch.StartNew()
    let samples = Estimator.sample fitted (generator 2UL) 1000 (context.narrow (0L, 0L, 2000L))
    printfn "  2,000 contexts x 1,000 samples %A in %.1f s" samples.shape watch.Elapsed.TotalSeconds
