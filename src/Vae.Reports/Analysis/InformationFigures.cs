using Vae.Reports.Figures;
using Vae.Reports.Html;
using Vae.Reports.Inference;
using Vae.Runs.Analysis;
using Vae.Runs.Inference;

namespace Vae.Reports.Analysis;

/// <summary>The figures of the information table: example posteriors, SBC rank histograms and expected coverage, per representation.</summary>
public static class InformationFigures
{
    /// <summary>The three figures of <paramref name="posteriors"/> (none when there are none).</summary>
    public static IEnumerable<RunFigures.Figure> Of(IReadOnlyList<EstimatedPosterior> posteriors)
    {
        if (posteriors.Count == 0)
            yield break;
        var factors = HhAnalysis.Factors;
        var examples = posteriors.Max(p => p.Examples.Length);
        var samples = new List<Panel?>();
        foreach (var p in posteriors)
            for (var i = 0; i < examples; i++)
                samples.Add(i >= p.Examples.Length ? null : new ChartSpec($"{p.Row.Representation}: test trace {i + 1}",
                    $"{factors[0]} (mS/cm2)", $"{factors[1]} (mS/cm2)",
                    [
                        new Series("posterior samples", p.Examples[i][0], p.Examples[i][1]),
                        new Series("true value", [p.ExampleTruth[i][0]], [p.ExampleTruth[i][1]]),
                    ], Markers: true, Legend: false));
        yield return new RunFigures.Figure("posteriors.png", PngFigures.Grid(samples, examples, 360, 300),
            "Posterior samples of (gK, gNa) for the first test traces, one row per representation; the true value is the last point drawn");
        var ranks = posteriors.SelectMany(p =>
            factors.Select((f, j) => (Panel?)PosteriorFigures.RankPanel(p.Row.Representation, f, p.RankHistograms[j])));
        yield return new RunFigures.Figure("sbc-ranks.png", PngFigures.Grid([.. ranks], factors.Length, 420, 260),
            "Simulation-based calibration: ranks of the true conductance among the posterior samples of each test trace; "
            + "flat when calibrated, U-shaped when too narrow, a hump when too wide, tilted when biased");
        var coverage = PosteriorFigures.CoveragePanel("Expected coverage of the highest-density regions",
            [.. posteriors.Select(p => (p.Row.Representation, p.CoverageCurve.Levels, p.CoverageCurve.Coverage))]);
        yield return new RunFigures.Figure("coverage.png", PngFigures.Render(coverage, 800, 600),
            "Expected coverage against the credibility level: on the diagonal when calibrated, below it when over-confident");
    }
}
