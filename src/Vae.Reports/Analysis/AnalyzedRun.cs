using Vae.Runs.Analysis;
using Vae.Runs.Data;
using Vae.Reports.Figures;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Runs.Settings;

namespace Vae.Reports.Analysis;

/// <summary>An analysis as written into a run folder: its result and the figures drawn of it.</summary>
public sealed record WrittenAnalysis(AnalysisResult Result, IReadOnlyList<RunFigures.Figure> Figures);

/// <summary>
/// Analyzes a trained run and writes the analysis into its folder: the run's figures and report.html (with the
/// "What the latent space learned" section), the analysis figures, analysis.json and analysis.md. The one place
/// this sequence is spelled: <c>analyze</c>, the end of training and <c>reproduce</c> all go through here.
/// </summary>
public static class AnalyzedRun
{
    /// <summary>Computes everything first (<see cref="RunAnalysis.Of"/>), then writes it; returns what it wrote.</summary>
    public static WrittenAnalysis Write(RunFolder folder, TrainConfig cfg, TrainingData data, ITrainedModel model, MetricsTable metrics,
        AnalysisOptions options, Action<string> log) =>
        Write(folder, cfg, data, model, metrics, RunAnalysis.Of(cfg, data, model, metrics, options, log));

    /// <summary>Writes an analysis already computed: figures, report.html, analysis.md and analysis.json.</summary>
    public static WrittenAnalysis Write(RunFolder folder, TrainConfig cfg, TrainingData data, ITrainedModel model, MetricsTable metrics,
        AnalysisOutput analysis)
    {
        var figures = AnalysisFigures.Of(analysis, data);
        RunFigures.Write(cfg, data, folder, metrics, model, r => AnalysisReport.AddTo(r, analysis.Result, figures));
        RunFigures.Write(folder, figures);
        // analysis.json last: its presence tells reproduce that the run's analysis is complete.
        folder.WriteText(folder.AnalysisMarkdownPath, AnalysisReport.Markdown(analysis.Result));
        folder.WriteText(folder.AnalysisPath, analysis.Result.ToJson());
        return new WrittenAnalysis(analysis.Result, figures);
    }
}
