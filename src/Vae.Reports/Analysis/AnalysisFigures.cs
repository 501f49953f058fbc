using Vae.Reports.Figures;
using Vae.Reports.Html;
using Vae.Runs.Analysis;
using Vae.Runs.Data;

namespace Vae.Reports.Analysis;

/// <summary>The figures of an analysis: the recovery scatters (HH runs) and the latent traversals.</summary>
public static class AnalysisFigures
{
    /// <summary>The figures drawn of <paramref name="analysis"/> of a run trained on <paramref name="data"/>.</summary>
    public static IReadOnlyList<RunFigures.Figure> Of(AnalysisOutput analysis, TrainingData data)
    {
        var figures = new List<RunFigures.Figure>();
        if (analysis.Recovery.Count > 0)
            figures.Add(Recovery(analysis.Recovery));
        if (analysis.Traversal is { } traversal)
            figures.Add(TraversalFigure.Of(data, traversal));
        figures.AddRange(InformationFigures.Of(analysis.Posteriors ?? []));
        return figures;
    }

    // Predicted against true conductances, one row of two panels (gK, gNa) per scatter.
    private static RunFigures.Figure Recovery(IReadOnlyList<RecoveryScatter> scatters)
    {
        var factors = HhAnalysis.Factors;
        var panels = new List<Panel?>();
        foreach (var s in scatters)
            for (var j = 0; j < factors.Length; j++)
                panels.Add(new ChartSpec($"{factors[j]} from {s.Row.Representation} ({s.Row.Regressor}): R2 = {s.Row.R2[j]:F3}",
                    $"true {factors[j]} (mS/cm2)", $"predicted {factors[j]} (mS/cm2)",
                    [new Series("test traces", s.Truth[j], s.Predicted[j])],
                    Markers: true, Legend: false));
        return new RunFigures.Figure("recovery.png", PngFigures.Grid(panels, 2, 520, 420),
            "Predicted against true conductances of the test traces: from the latent means (top) and from the best hand-crafted feature set "
            + "(bottom), each with its best regressor");
    }
}
