using Vae.Host.Data;
using Vae.Host.Figures;
using Vae.Host.Models;
using Vae.Host.Persistence;
using Vae.Host.Training;

namespace Vae.Host.Analysis;

/// <summary>
/// Analyzes a trained run and writes the analysis into its folder: the run's figures and report.html (with the
/// "What the latent space learned" section), the analysis figures, analysis.json and analysis.md. The one place
/// this sequence is spelled: <c>analyze</c>, the end of training and <c>reproduce</c> all go through here.
/// </summary>
public static class AnalyzedRun
{
    /// <summary>Computes everything first (<see cref="RunAnalysis.Of"/>), then writes it; returns what it wrote.</summary>
    public static AnalysisOutput Write(RunFolder folder, TrainConfig cfg, TrainingData data, ITrainedModel model, MetricsTable metrics,
        AnalysisOptions options, Action<string> log)
    {
        var analysis = RunAnalysis.Of(cfg, data, model, metrics, options, log);
        RunFigures.Write(cfg, data, folder, metrics, model, r => AnalysisReport.AddTo(r, analysis));
        RunFigures.Write(folder, analysis.Figures);
        // analysis.json last: its presence tells reproduce that the run's analysis is complete.
        folder.WriteText(folder.AnalysisMarkdownPath, AnalysisReport.Markdown(analysis.Result));
        folder.WriteText(folder.AnalysisPath, analysis.Result.ToJson());
        return analysis;
    }
}
