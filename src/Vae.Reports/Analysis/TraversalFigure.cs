using Vae.Runs.Analysis;
using Vae.Runs.Data;
using Vae.Reports.Figures;
using Vae.Runs.Models;
using Vae.Reports.Html;
using Vae.Simulation.Storage;

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
        if (data.Kind == DataKind.Images)
        {
            var tiles = new ImageTiles("Latent traversals", values, data.ImageSide, data.ImageSide, q.Length);
            return new RunFigures.Figure("traversals.png", PngFigures.Tiles(tiles),
                $"Each row decodes the mean test code with one dimension ({order}, most KL first) at the prior's 5, 20, 50, 80 and 95 % quantiles");
        }
        var (toMv, unit) = Millivolts(data);
        var f = data.Features;
        var panels = dims.Select((d, r) => (Panel?)new ChartSpec($"z{d + 1}", "time (ms)", unit,
            q.Select((p, c) => new Series($"{p:P0}", data.Time, Enumerable.Range(0, f).Select(t => toMv(values[(r * q.Length + c) * f + t])).ToArray())).ToList())).ToList();
        return new RunFigures.Figure("traversals.png", PngFigures.Grid(panels, Math.Min(2, panels.Count), 560, 340),
            $"Decoded traces of the mean test code with one dimension ({order}, most KL first) at the prior's 5, 20, 50, 80 and 95 % quantiles, one colour per quantile"
            + (data.Scaling is null ? "; per-trace scaling undone with the training traces' mean min and max (approximate mV)" : ""));
    }

    // Dataset-scaled runs map back exactly; per-trace scaled ones through the training set's mean min and max.
    private static (Func<double, double> ToMv, string Unit) Millivolts(TrainingData data)
    {
        if (data.Scaling is { } s)
            return (s.ToMillivolts, "voltage (mV)");
        if (data.HhPath is null)
            return (v => v, "scaled voltage");
        var hh = HhFile.Read(data.HhPath);
        var train = hh.TrainIndices;
        var (lo, hi) = (train.Average(i => hh.RawMin[i]), train.Average(i => hh.RawMax[i]));
        return (v => lo + v * (hi - lo), "voltage (approximate mV)");
    }
}
