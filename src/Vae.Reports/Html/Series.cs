namespace Vae.Reports.Html;

/// <summary>One named line or point set of a chart. <c>X</c> and <c>Y</c> have the same length.</summary>
public sealed record Series(string Name, double[] X, double[] Y)
{
    /// <summary>Checks that the coordinates pair up.</summary>
    public Series Validated() =>
        X.Length == Y.Length ? this : throw new ArgumentException($"series '{Name}' has {X.Length} x values but {Y.Length} y values");
}

/// <summary>One panel of a figure: a chart, a map of coloured points, or a grid of images.</summary>
public abstract record Panel(string Title);

/// <summary>
/// A chart: title, axis labels, series, whether they are drawn as lines or markers, a log y axis, whether
/// every second series is dashed (pairs such as original and reconstruction), and whether the series names
/// are worth a legend (not for examples that the title describes), and whether the last series stands out in black over
/// the others in grey (an observation over traces simulated for it).
/// </summary>
public sealed record ChartSpec(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series,
    bool Markers = false, bool LogY = false, bool DashedOdd = false, bool Legend = true, bool HighlightLast = false) : Panel(Title);

/// <summary>
/// Points coloured by a value each: by category (one legend entry per distinct value, e.g. the digit) or on a
/// continuous scale with a colour bar (e.g. gK).
/// </summary>
public sealed record PointMap(string Title, string XLabel, string YLabel, double[] X, double[] Y,
    double[] Value, string ValueLabel, bool Categorical) : Panel(Title)
{
    /// <summary>Checks that every point has both coordinates and a value.</summary>
    public PointMap Validated() =>
        X.Length == Y.Length && Y.Length == Value.Length ? this
            : throw new ArgumentException($"map '{Title}' has {X.Length} x, {Y.Length} y and {Value.Length} colour values");
}

/// <summary>Greyscale images (row-major <c>Rows</c> x <c>Cols</c> each, values in [0, 1]), <c>Columns</c> per row.</summary>
public sealed record ImageTiles(string Title, float[] Pixels, int Rows, int Cols, int Columns) : Panel(Title)
{
    /// <summary>Number of whole images; throws when the pixels do not make whole images.</summary>
    public int Count =>
        Rows * Cols > 0 && Pixels.Length % (Rows * Cols) == 0 ? Pixels.Length / (Rows * Cols)
            : throw new ArgumentException($"{Pixels.Length} pixels do not make whole {Rows}x{Cols} images");
}
