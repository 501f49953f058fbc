// A study from the application libraries' NuGet packages, as a script user would write it: simulate 2,000
// Hodgkin-Huxley traces, train the trace Conv-VAE for 3 of 5 epochs, resume it for the other 2, analyze what
// its latent space keeps, print the recovery table and write the figures and report into the run folder.
// Run after `dotnet fsi build.fsx Pack` (the local feed is named in examples/nuget.config):
//   dotnet fsi examples/runs.fsx [folder]
#r "nuget: FunctionalVae.Runs"
#r "nuget: FunctionalVae.Reports"

open System
open Vae.Runs.Settings
open Vae.Runs.Training
open Vae.Runs.Persistence
open Vae.Reports.Analysis

let folder =
    fsi.CommandLineArgs |> Array.tryItem 1 |> Option.defaultWith (fun () -> IO.Path.Combine(IO.Path.GetTempPath(), $"fvae-runs-{Guid.NewGuid():N}"))
let cfg = TrainConfig(Dataset = Dataset.Hh, HhCount = 2000, LatentDim = 2, Beta = 0.5, Epochs = 5, BatchSize = 64, Scaling = ScalingMode.Dataset)
// After the last epoch, while the data is loaded: the analysis, its figures and report, and its table here.
let analyze =
    Func<RunResult, Vae.Runs.Data.TrainingData, RunResult>(fun run data ->
        let written =
            AnalyzedRun.Write(run.Folder, run.Config, data, run.Model, run.Metrics, Vae.Runs.Analysis.AnalysisOptions.EndOfTraining, ignore)
        AnalysisReport.Markdown written.Result |> printfn "%s"
        run)
let options (stopAfter: Nullable<int>) =
    LaunchOptions(IO.Path.Combine(folder, "data"), null, Nullable 2, stopAfter, false, Log = Action<string>(printfn "%s"), Finish = analyze)
let first = RunLauncher.Launch(cfg, null, IO.Path.Combine(folder, "run"), options (Nullable 3))
printfn "paused after %d epochs of %d" first.Metrics.Epochs.Count cfg.Epochs
let final = RunLauncher.Launch(cfg, RunFolder.Open(first.Folder.Root), null, options (Nullable()))
printfn "finished: %d epochs, report %s" final.Metrics.Epochs.Count final.Folder.ReportPath
if not final.Finished || not (IO.File.Exists final.Folder.AnalysisPath) then exit 1
