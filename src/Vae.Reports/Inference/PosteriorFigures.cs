using Vae.Reports.Html;

namespace Vae.Reports.Inference;

/// <summary>
/// The figures of posterior inference over (gK, gNa): a pair plot of samples with marginals, posterior-predictive
/// traces over the observation, rank histograms of simulation-based calibration and expected-coverage curves.
/// Plain arrays in, PNG bytes out.
/// </summary>
public static class PosteriorFigures
{
    /// <summary>Bins of each marginal histogram.</summary>
    public const int MarginalBins = 40;

    /// <summary>
    /// Pair plot of posterior samples of two parameters (<paramref name="names"/>, with units in the names): each
    /// marginal as a density histogram over <paramref name="ranges"/> (the prior box), the joint as points; the true
    /// values, when known, drawn on each.
    /// </summary>
    public static byte[] PairPlot(string title, string[] names, double[][] samples, (double Low, double High)[] ranges, double[]? truth = null)
    {
        if (names.Length != 2 || samples.Length != 2 || ranges.Length != 2)
            throw new ArgumentException("a pair plot takes two parameters");
        Panel Marginal(int j)
        {
            var series = new List<Series> { Histogram("posterior", samples[j], ranges[j]) };
            if (truth is not null)
                series.Add(new Series("true value", [truth[j], truth[j]], [0, series[0].Y.Max()]));
            return new ChartSpec($"{title}: {names[j]}", names[j], "density", series);
        }
        var joint = new List<Series> { new("posterior samples", samples[0], samples[1]) };
        if (truth is not null)
            joint.Add(new Series("true value", [truth[0]], [truth[1]]));
        var scatter = new ChartSpec($"{title}: joint", names[0], names[1], joint, Markers: true);
        return PngFigures.Grid([Marginal(0), null, scatter, Marginal(1)], columns: 2);
    }

    /// <summary>A density histogram of <paramref name="values"/> over <paramref name="range"/>, as a step line.</summary>
    public static Series Histogram(string name, double[] values, (double Low, double High) range, int bins = MarginalBins)
    {
        if (!(range.High > range.Low) || bins < 1)
            throw new ArgumentException($"a histogram needs a range low < high and bins >= 1, got {range} and {bins}");
        var width = (range.High - range.Low) / bins;
        var counts = new double[bins];
        foreach (var v in values)
        {
            var b = (int)Math.Floor((v - range.Low) / width);
            if (b >= 0 && b < bins) counts[b]++;
            else if (v == range.High) counts[bins - 1]++;
        }
        // Steps: each bin's left and right edge at its height.
        var x = new double[2 * bins];
        var y = new double[2 * bins];
        for (var b = 0; b < bins; b++)
        {
            (x[2 * b], x[2 * b + 1]) = (range.Low + b * width, range.Low + (b + 1) * width);
            y[2 * b] = y[2 * b + 1] = values.Length == 0 ? 0 : counts[b] / (values.Length * width);
        }
        return new Series(name, x, y);
    }

    /// <summary>The observed trace and traces simulated from posterior samples, in mV over time.</summary>
    public static byte[] Predictive(string title, double[] timeMs, double[] observed, IReadOnlyList<double[]> simulated)
    {
        var series = simulated.Select((v, i) => new Series(i == 0 ? "simulated from the posterior" : "", timeMs, v)).ToList();
        series.Add(new Series("observation", timeMs, observed));
        return PngFigures.Render(new ChartSpec(title, "time (ms)", "V (mV)", series, Legend: true, HighlightLast: true), 900, 450);
    }

    /// <summary>
    /// Rank histograms of simulation-based calibration, one panel per parameter: the count of test points per rank bin
    /// and the count a calibrated posterior gives every bin.
    /// </summary>
    public static Panel RankPanel(string title, string parameter, int[] counts)
    {
        var expected = counts.Sum() / (double)counts.Length;
        var bins = Enumerable.Range(0, counts.Length).Select(b => (double)b).ToArray();
        return new ChartSpec($"{title}: {parameter}", "rank bin", "test points",
        [
            new Series("observed", bins, counts.Select(c => (double)c).ToArray()),
            new Series("uniform", [0, counts.Length - 1], [expected, expected]),
        ], Markers: false);
    }

    /// <summary>Expected coverage against the credibility level, one line per representation, with the diagonal.</summary>
    public static Panel CoveragePanel(string title, IReadOnlyList<(string Name, double[] Levels, double[] Coverage)> curves)
    {
        var series = curves.Select(c => new Series(c.Name, c.Levels, c.Coverage)).Prepend(new Series("calibrated", [0, 1], [0, 1])).ToList();
        return new ChartSpec(title, "credibility level", "expected coverage", series);
    }
}
