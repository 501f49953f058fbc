using Vae.Runs.Analysis;
using Vae.Runs.Data;
using Vae.Reports.Figures;
using Vae.Runs.Models;
using Vae.Reports.Html;

namespace Vae.Reports.Analysis;

/// <summary>
/// The traversal figure: for each drawn dimension, the mean code with that dimension at the prior's 5, 20,
/// 50, 80 and 95 % quantiles, decoded. Digits in a grid (a row per dimension), traces overlaid in mV (a
/// colour per quantile, a panel per dimension).
/// </summary>
public static class TraversalFigure
{
    /// <summary>The figure of <paramref name="traversal"/>, decoded from a model trained on <paramref name="data"/>.</summary>
    public static RunFigures.Figure Of(TrainingData data, DecodedTraversal traversal)
    {
        var (q, dims, values) = (traversal.Quantiles, traversal.Dims, traversal.Values);
        var order = string.Join(", ", dims.Select(d => $"z{d + 1}"));
        if (data is MnistImages images)
        {
            var tiles = new ImageTiles("Latent traversals", values, images.ImageSide, images.ImageSide, q.Length);
            return new RunFigures.Figure("traversals.png", PngFigures.Tiles(tiles),
                $"Each row decodes the mean test code with one dimension ({order}, most KL first) at the prior's 5, 20, 50, 80 and 95 % quantiles");
        }
        var traces = data as HhTraces ?? throw new ArgumentException($"no traversal figure of {data.GetType().Name}", nameof(data));
        var (toMv, exact) = traces.Millivolts();
        var unit = exact ? "voltage (mV)" : "voltage (approximate mV)";
        var f = data.Features;
        var panels = dims.Select((d, r) => (Panel?)new ChartSpec($"z{d + 1}", "time (ms)", unit,
            q.Select((p, c) => new Series($"{p:P0}", traces.Time,
                Enumerable.Range(0, f).Select(t => toMv(values[(r * q.Length + c) * f + t])).ToArray())).ToList())).ToList();
        return new RunFigures.Figure("traversals.png", PngFigures.Grid(panels, Math.Min(2, panels.Count), 560, 340),
            $"Decoded traces of the mean test code with one dimension ({order}, most KL first) at the prior's 5, 20, 50, 80 and 95 % quantiles, "
            + "one colour per quantile"
            + (exact ? "" : "; per-trace scaling undone with the training traces' mean min and max (approximate mV)"));
    }
}
