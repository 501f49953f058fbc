using System.Globalization;
using System.Text;
using Vae.Runs.Metrics;

namespace Vae.Runs.Persistence;

/// <summary>
/// The per-epoch metrics of a run and their file, metrics.csv (columns of <see cref="MetricsColumns"/>). Epochs are kept in
/// memory and the whole file is rewritten atomically after each epoch, so it is never seen half-written.
/// </summary>
public sealed class MetricsTable(int latentDim)
{
    private readonly List<EpochMetrics> _epochs = [];

    /// <summary>The latent size: every epoch has this many per-dimension test KL values.</summary>
    public int LatentDim { get; } = latentDim;
    /// <summary>The epochs so far, in order.</summary>
    public IReadOnlyList<EpochMetrics> Epochs => _epochs;

    /// <summary>Appends an epoch; its latent size must be the table's.</summary>
    public void Add(EpochMetrics epoch)
    {
        if (epoch.LatentDim != LatentDim)
            throw new ArgumentException($"an epoch with {epoch.LatentDim} latent dimensions in a metrics table of {LatentDim}");
        _epochs.Add(epoch);
    }

    /// <summary>One value of every epoch, in order (a curve to draw).</summary>
    public double[] Series(Func<EpochMetrics, double> value) => [.. _epochs.Select(value)];

    /// <summary>The table as CSV text (invariant culture, round-trip precision).</summary>
    /// <remarks>The step times are not stored: they describe the machine's speed, not the run's result.</remarks>
    public string ToCsv()
    {
        var sb = new StringBuilder(string.Join(",", MetricsColumns.Of(LatentDim))).Append('\n');
        foreach (var e in _epochs)
            sb.Append(string.Join(",", MetricsColumns.Cells(e).Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Reads a table written by <see cref="ToCsv"/>; its header must be the columns of some latent size.</summary>
    public static MetricsTable Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            throw new InvalidDataException("metrics.csv is empty");
        var header = lines[0].Split(',');
        var latent = MetricsColumns.LatentDimOf(header)
            ?? throw new InvalidDataException($"metrics.csv has the columns {lines[0]}, expected {string.Join(",", MetricsColumns.Of(0))} "
                                              + $"and {MetricsColumns.TestKlDimension(0)}, {MetricsColumns.TestKlDimension(1)}, ...");
        var table = new MetricsTable(latent);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (cells.Length != header.Length)
                throw new InvalidDataException($"metrics.csv row has {cells.Length} cells, expected {header.Length}");
            table.Add(MetricsColumns.FromCells([.. cells.Select(c => double.Parse(c, CultureInfo.InvariantCulture))]));
        }
        return table;
    }
}
