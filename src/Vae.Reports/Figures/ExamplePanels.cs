using Vae.Runs.Data;
using Vae.Reports.Html;

namespace Vae.Reports.Figures;

/// <summary>
/// Figure panels of a run's examples: digits as tiles (rows of originals over rows of their reconstructions),
/// traces as offset lines (originals solid, reconstructions dashed in the same colour).
/// </summary>
public static class ExamplePanels
{
    /// <summary>How far apart, in model-input units, the traces of a panel are drawn.</summary>
    public const double TraceOffset = 1.2;

    /// <summary>Examples <paramref name="from"/>..<paramref name="from"/>+<paramref name="count"/> over their reconstructions.</summary>
    public static Panel Reconstructions(TrainingData data, RunExamples ex, string title, int from = 0, int? count = null, int columns = 8)
    {
        var n = Math.Min(count ?? ex.Count - from, ex.Count - from);
        if (n < 1 || from < 0)
            throw new ArgumentException($"examples {from}..{from + n} are not among the {ex.Count} reconstructed");
        var f = ex.Features;
        if (data is MnistImages images)
        {
            var rows = new List<float>();
            for (var start = from; start < from + n; start += columns)
            {
                var width = Math.Min(columns, from + n - start);
                rows.AddRange(ex.Originals.AsSpan(start * f, width * f).ToArray());
                rows.AddRange(ex.Reconstructions.AsSpan(start * f, width * f).ToArray());
            }
            return new ImageTiles(title, [.. rows], images.ImageSide, images.ImageSide, Math.Min(columns, n));
        }
        var traces = Traces(data);
        var series = new List<Series>();
        for (var k = 0; k < n; k++)
        {
            series.Add(new Series($"trace {from + k}", traces.Time, Offset(traces, ex.Originals, from + k, k)));
            series.Add(new Series($"reconstruction {from + k}", traces.Time, Offset(traces, ex.Reconstructions, from + k, k)));
        }
        return new ChartSpec(title, "time (ms)", VoltageAxis(traces), series, DashedOdd: true, Legend: false);
    }

    /// <summary>Samples from the prior (flat, one after another): a digit grid, or at most <paramref name="maxTraces"/> offset traces.</summary>
    public static Panel Samples(TrainingData data, float[] samples, string title, int maxTraces = 4, int columns = 8)
    {
        if (data is MnistImages images)
            return new ImageTiles(title, samples, images.ImageSide, images.ImageSide, columns);
        var traces = Traces(data);
        var count = Math.Min(maxTraces, samples.Length / traces.Features);
        var series = Enumerable.Range(0, count).Select(k => new Series($"sample {k}", traces.Time, Offset(traces, samples, k, k))).ToList();
        return new ChartSpec(title, "time (ms)", VoltageAxis(traces), series, Legend: false);
    }

    /// <summary>The y-axis label of trace panels: mV when the run's scaling can be undone, scaled units otherwise.</summary>
    public static string VoltageAxis(HhTraces data) => data.Map is null ? "scaled voltage (offset)" : "voltage (mV, offset)";

    private static HhTraces Traces(TrainingData data) =>
        data as HhTraces ?? throw new ArgumentException($"no example panels of {data.GetType().Name}", nameof(data));

    // Traces of a dataset-scaled run are drawn in mV (the map undone), the offset scaled alike.
    private static double[] Offset(HhTraces data, float[] values, int example, int slot) =>
        Offset(values, data.Features, example, slot, v => data.Map?.ToMillivolts(v) ?? v);

    /// <summary>
    /// Example <paramref name="example"/> of <paramref name="values"/> (flat, <paramref name="features"/> each) raised
    /// by <see cref="TraceOffset"/> per <paramref name="slot"/>, then mapped to the panel's axis by <paramref name="toAxis"/>.
    /// </summary>
    public static double[] Offset(float[] values, int features, int example, int slot, Func<double, double> toAxis)
    {
        var shifted = new double[features];
        for (var i = 0; i < features; i++)
            shifted[i] = toAxis(values[example * features + i] + TraceOffset * slot);
        return shifted;
    }
}
