using Vae.Reports.Analysis;
using Vae.Reports.Figures;
using Vae.Runs.Analysis;
using Vae.Runs.Data;
using Vae.Runs.Training;

namespace Vae.Reports;

/// <summary>What the command line does after a run finishes, for any caller of <see cref="RunLauncher"/>.</summary>
public static class RunRendering
{
    /// <summary>
    /// A finished run's figures and report, with its analysis (at the smaller likelihood K of
    /// <see cref="AnalysisOptions.EndOfTraining"/>) unless <paramref name="analyze"/> is false: the
    /// <see cref="LaunchOptions.Finish"/> step of the command line.
    /// </summary>
    public static Func<RunResult, TrainingData, RunResult> Finish(bool analyze) => (result, data) =>
    {
        if (result.Model is not { } model)
            return result;
        if (!analyze)
        {
            RunFigures.Write(result.Config, data, result.Folder, result.Metrics, model);
            return result;
        }
        var analysis = AnalyzedRun.Write(result.Folder, result.Config, data, model, result.Metrics, AnalysisOptions.EndOfTraining, _ => { });
        return result with { AnalysisSkipped = analysis.Result.Skipped };
    };
}
