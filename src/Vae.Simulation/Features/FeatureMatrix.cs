namespace Vae.Simulation.Features;

/// <summary>
/// Features of many traces: <see cref="Rows"/> x <see cref="Columns"/> doubles in row-major order, row i for
/// trace i; NaN where a feature is undefined for a trace (docs/features.md, "Missing values").
/// </summary>
public sealed class FeatureMatrix
{
    /// <summary>Wraps <paramref name="values"/> (row-major, <paramref name="rows"/> x <paramref name="columns"/>.Count).</summary>
    public FeatureMatrix(IReadOnlyList<string> columns, int rows, double[] values)
    {
        if (rows < 0 || values.Length != (long)rows * columns.Count)
            throw new ArgumentException($"{values.Length} values do not fill {rows} rows of {columns.Count} columns.", nameof(values));
        if (columns.Distinct().Count() != columns.Count)
            throw new ArgumentException("column names must be unique.", nameof(columns));
        Columns = columns;
        Rows = rows;
        Values = values;
    }

    /// <summary>Column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>Number of rows (traces).</summary>
    public int Rows { get; }
    /// <summary>All values, row-major.</summary>
    public double[] Values { get; }

    /// <summary>The value of column <paramref name="column"/> for row <paramref name="row"/>.</summary>
    public double this[int row, int column] => Values[row * Columns.Count + column];

    /// <summary>One row's values.</summary>
    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(row * Columns.Count, Columns.Count);

    /// <summary>Position of a column; throws <see cref="ArgumentException"/> listing the names when there is none.</summary>
    public int IndexOf(string column)
    {
        for (int j = 0; j < Columns.Count; j++)
            if (Columns[j] == column)
                return j;
        throw new ArgumentException($"no column '{column}'; the columns are {string.Join(", ", Columns)}.", nameof(column));
    }

    /// <summary>A copy of one column, one value per row.</summary>
    public double[] Column(string column) => Column(IndexOf(column));

    /// <summary>A copy of column <paramref name="column"/>, one value per row.</summary>
    public double[] Column(int column)
    {
        var result = new double[Rows];
        for (int i = 0; i < Rows; i++)
            result[i] = this[i, column];
        return result;
    }
}
