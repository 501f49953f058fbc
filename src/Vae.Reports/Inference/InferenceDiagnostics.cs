using System.Text.Json;
using Vae.Reports.Analysis;
using Vae.Runs.Inference;
using Vae.Simulation.Storage;

namespace Vae.Reports.Inference;

/// <summary>The diagnostics of an estimator of <c>infer fit</c> on its test pairs: diagnostics.json, diagnostics.md and the figures.</summary>
public static class InferenceDiagnostics
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the diagnostics of <paramref name="posterior"/> into <paramref name="folder"/>, each file atomically.</summary>
    public static void Write(EstimatorFolder folder, EstimatedPosterior posterior)
    {
        var json = JsonSerializer.Serialize(new
        {
            information = posterior.Row,
            rankHistograms = posterior.RankHistograms,
            coverageCurve = new { levels = posterior.CoverageCurve.Levels, coverage = posterior.CoverageCurve.Coverage },
        }, Json);
        AtomicFile.WriteAllText(folder.DiagnosticsPath, json, createFolder: true);
        var (title, header, rows) = AnalysisReport.InformationTable([posterior.Row], posterior.Row.TestPairs);
        AtomicFile.WriteAllText(folder.DiagnosticsMarkdownPath, AnalysisReport.MarkdownTable(title, header, rows)
            + string.Concat(Vae.Runs.Analysis.PosteriorAnalysis.Notes([posterior]).Select(n => $"- {n}\n")));
        foreach (var figure in InformationFigures.Of([posterior]))
            AtomicFile.WriteAllBytes(Path.Combine(folder.FigureDir, figure.File), figure.Png, createFolder: true);
    }
}
