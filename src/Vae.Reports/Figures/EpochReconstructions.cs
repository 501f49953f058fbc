using Vae.Reports.Html;
using Vae.Runs.Models;
using static TorchSharp.torch;

namespace Vae.Reports.Figures;

/// <summary>
/// A PNG of the first test examples over their reconstructions through the posterior means, drawn from the model input
/// alone (no dataset at hand): what the TensorBoard sink shows per epoch. Digits as tiles (models with a Bernoulli
/// likelihood on square images), traces as offset lines on the model's input scale.
/// </summary>
public static class EpochReconstructions
{
    /// <summary>Examples drawn.</summary>
    public const int Count = 4;

    /// <summary>The figure of <paramref name="model"/>'s reconstructions of the first rows of <paramref name="test"/>.</summary>
    public static byte[] Png(ITrainedModel model, Tensor test)
    {
        using var scope = NewDisposeScope();
        var n = (int)Math.Min(Count, test.shape[0]);
        var features = (int)test.shape[1];
        var originals = test.narrow(0, 0, n);
        var (x, r) = (RunExamples.Floats(originals), RunExamples.Floats(model.Reconstruct(originals)));
        var side = (int)Math.Round(Math.Sqrt(features));
        if (model.HasLikelihood && side * side == features)
            return PngFigures.Tiles(new ImageTiles("Originals over reconstructions", [.. x, .. r], side, side, n));
        var samples = Enumerable.Range(0, features).Select(i => (double)i).ToArray();
        var series = Enumerable.Range(0, n).SelectMany(k => new[]
        {
            new Series($"trace {k}", samples, ExamplePanels.Offset(x, features, k, k, v => v)),
            new Series($"reconstruction {k}", samples, ExamplePanels.Offset(r, features, k, k, v => v)),
        }).ToList();
        return PngFigures.Render(new ChartSpec("Test traces (solid) and reconstructions (dashed)", "sample", "model input (offset)",
            series, DashedOdd: true, Legend: false));
    }
}
