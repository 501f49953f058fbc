using Vae.Reports.Html;
using Vae.Reports.Inference;

namespace Vae.Reports.Tests.Inference;

/// <summary>The posterior figures: histograms that are densities, and figures that render.</summary>
public sealed class PosteriorFiguresTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    [Fact]
    public void A_histogram_is_a_density_over_its_range_with_the_counts_of_each_bin()
    {
        double[] values = [0.1, 0.2, 0.3, 1.5, 2.0, 5.0];
        var h = PosteriorFigures.Histogram("h", values, (0, 2), bins: 4);
        // Bins [0, .5) [.5, 1) [1, 1.5) [1.5, 2]: 3, 0, 0, 2 (2.0 on the upper edge counts; 5.0 is outside).
        Assert.Equal([0, 0.5, 0.5, 1, 1, 1.5, 1.5, 2], h.X);
        Assert.Equal(new[] { 3, 3, 0, 0, 0, 0, 2, 2 }.Select(c => c / (6 * 0.5)).ToArray(), h.Y);
        Assert.Throws<ArgumentException>(() => PosteriorFigures.Histogram("h", values, (1, 1)));
    }

    [Fact]
    public void The_pair_plot_and_the_calibration_panels_render()
    {
        var rng = new Random(1);
        double[][] samples =
        [
            [.. Enumerable.Range(0, 500).Select(_ => 30 + 4 * rng.NextDouble())],
            [.. Enumerable.Range(0, 500).Select(_ => 120 + rng.NextDouble())],
        ];
        var png = PosteriorFigures.PairPlot("obs", ["gK (mS/cm2)", "gNa (mS/cm2)"], samples, [(26, 46), (110, 130)], [32, 120.5]);
        Assert.Equal(PngSignature, png[..4]);
        var panels = new Panel?[]
        {
            PosteriorFigures.RankPanel("latent means", "gK", [10, 12, 9, 11]),
            PosteriorFigures.CoveragePanel("coverage", [("latent means", [0.5, 0.8, 0.95], [0.49, 0.81, 0.94])]),
        };
        Assert.Equal(PngSignature, PngFigures.Grid(panels, 2)[..4]);
        var time = Enumerable.Range(0, 100).Select(k => k * 0.01).ToArray();
        Assert.Equal(PngSignature, PosteriorFigures.Predictive("obs", time, time.Select(t => -65 + t).ToArray(), [time])[..4]);
    }
}
