using System.Globalization;
using System.Text;

namespace Vae.Runs.Persistence;

/// <summary>
/// The per-epoch metrics of a run as a CSV table with a fixed header. Rows are kept in memory and the whole
/// file is rewritten atomically after each epoch, so it is never seen half-written.
/// </summary>
public sealed class MetricsTable(IReadOnlyList<string> columns)
{
    private readonly List<double[]> _rows = [];

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; } = columns;
    /// <summary>The rows so far.</summary>
    public IReadOnlyList<double[]> Rows => _rows;

    /// <summary>Appends a row given by column name; every column must be present.</summary>
    public void Add(IReadOnlyDictionary<string, double> values)
    {
        var missing = Columns.Where(c => !values.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"metrics row lacks {string.Join(", ", missing)}");
        _rows.Add(Columns.Select(c => values[c]).ToArray());
    }

    /// <summary>One column's values over the rows.</summary>
    public double[] Column(string name)
    {
        var i = Columns.ToList().IndexOf(name);
        if (i < 0)
            throw new ArgumentException($"no metrics column '{name}'");
        return _rows.Select(r => r[i]).ToArray();
    }

    /// <summary>The table as CSV text (invariant culture, round-trip precision).</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder(string.Join(",", Columns)).Append('\n');
        foreach (var r in _rows)
            sb.Append(string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Reads a table written by <see cref="ToCsv"/>.</summary>
    public static MetricsTable Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            throw new InvalidDataException("metrics.csv is empty");
        var table = new MetricsTable(lines[0].Split(','));
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (cells.Length != table.Columns.Count)
                throw new InvalidDataException($"metrics.csv row has {cells.Length} cells, expected {table.Columns.Count}");
            table._rows.Add(cells.Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray());
        }
        return table;
    }
}
