// examples/runs.fsx in C#: simulate 2,000 Hodgkin-Huxley traces, train the trace Conv-VAE for 3 of 5 epochs,
// resume it for the other 2, analyze it, print the recovery table and write the figures and report, all from the
// FunctionalVae.Runs and FunctionalVae.Reports packages. Run: dotnet run --project examples/StudySample [folder]
using Vae.Reports.Analysis;
using Vae.Runs.Analysis;
using Vae.Runs.Persistence;
using Vae.Runs.Settings;
using Vae.Runs.Training;

var folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), $"fvae-study-{Guid.NewGuid():N}");
var cfg = TrainConfig.Defaults(Dataset.Hh) with { HhCount = 2000, Beta = 0.5, Epochs = 5, BatchSize = 64 };
LaunchOptions Options(int? stopAfter) => new(Path.Combine(folder, "data"), null, Threads: 2, stopAfter, Force: false)
{
    Log = Console.WriteLine,
    // After the last epoch, while the data is loaded: the analysis, its figures and report, and its table here.
    Finish = (run, data) =>
    {
        var written = AnalyzedRun.Write(run.Folder, run.Config, data, run.Model!, run.Metrics, AnalysisOptions.EndOfTraining, _ => { });
        Console.WriteLine(AnalysisReport.Markdown(written.Result));
        return run;
    },
};
var first = RunLauncher.Launch(cfg, null, Path.Combine(folder, "run"), Options(3));
Console.WriteLine($"paused after {first.Metrics.Epochs.Count} epochs of {cfg.Epochs}");
var final = RunLauncher.Launch(cfg, RunFolder.Open(first.Folder.Root), null, Options(null));
Console.WriteLine($"finished: {final.Metrics.Epochs.Count} epochs, report {final.Folder.ReportPath}");
return final.Finished && File.Exists(final.Folder.AnalysisPath) ? 0 : 1;
