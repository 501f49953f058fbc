using ScottPlot;

namespace Vae.Reports.Html;

/// <summary>Static figures as PNG bytes (ScottPlot); callers write them with <see cref="Vae.Simulation.Storage.AtomicFile"/>.</summary>
public static class PngFigures
{
    private const string FontName = "DejaVu Sans";
    // Continuous colour values are drawn in this many colour bands (one marker set each).
    private const int ColourBands = 32;

    // SkiaSharp's Linux assets are built without fontconfig: without a registered font, text is not drawn.
    private static readonly Lazy<bool> FontRegistered = new(() =>
    {
        var path = FigureFont.File();
        // Titles ask for bold: serve them the regular face rather than nothing.
        Fonts.AddFontFile(FontName, path, bold: false, italic: false);
        Fonts.AddFontFile(FontName, path, bold: true, italic: false);
        Fonts.Default = FontName;
        return true;
    });

    private static Plot NewPlot()
    {
        _ = FontRegistered.Value;
        return new Plot();
    }

    /// <summary>Renders one panel as a figure of the given size.</summary>
    public static byte[] Render(Panel panel, int width = 800, int height = 500)
    {
        var plot = NewPlot();
        Draw(plot, panel);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>
    /// Renders images at <paramref name="scale"/> screen pixels per image pixel, with a one-pixel gap between
    /// images and room for the title.
    /// </summary>
    public static byte[] Tiles(ImageTiles tiles, int scale = 4)
    {
        var n = tiles.Count;
        var columns = Math.Max(1, Math.Min(tiles.Columns, n));
        var gridRows = (n + columns - 1) / columns;
        var width = (columns * (tiles.Cols + 1) + 1) * scale;
        var height = (gridRows * (tiles.Rows + 1) + 1) * scale + 40;
        return Render(tiles, width, height);
    }

    /// <summary>
    /// Renders panels in a grid of <paramref name="columns"/> columns, each <paramref name="panelWidth"/> x
    /// <paramref name="panelHeight"/>; a null panel leaves its cell empty (a run not done yet).
    /// </summary>
    public static byte[] Grid(IReadOnlyList<Panel?> panels, int columns, int panelWidth = 420, int panelHeight = 320)
    {
        if (panels.Count == 0 || columns < 1)
            throw new ArgumentException("a figure grid needs at least one panel and one column");
        _ = FontRegistered.Value;
        var rows = (panels.Count + columns - 1) / columns;
        var multiplot = new Multiplot();
        multiplot.AddPlots(rows * columns);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        for (var i = 0; i < rows * columns; i++)
        {
            var plot = multiplot.GetPlot(i);
            if (i < panels.Count && panels[i] is { } panel)
                Draw(plot, panel);
            else
            {
                plot.Axes.Frameless();
                plot.HideGrid();
            }
        }
        using var image = multiplot.Render(columns * panelWidth, rows * panelHeight);
        return image.GetImageBytes(ImageFormat.Png);
    }

    private static void Draw(Plot plot, Panel panel)
    {
        switch (panel)
        {
            case ChartSpec chart: DrawChart(plot, chart); break;
            case PointMap map: DrawMap(plot, map.Validated()); break;
            case ImageTiles tiles: DrawTiles(plot, tiles); break;
            default: throw new ArgumentException($"no renderer for {panel.GetType().Name}");
        }
        plot.Title(panel.Title);
    }

    private static void DrawChart(Plot plot, ChartSpec spec)
    {
        foreach (var (s, i) in spec.Series.Select((s, i) => (s.Validated(), i)))
        {
            var ys = spec.LogY ? s.Y.Select(y => Math.Log10(Math.Max(y, double.Epsilon))).ToArray() : s.Y;
            var sc = plot.Add.Scatter(s.X, ys);
            // ScottPlot shows a legend of every named plottable: a chart without one names none.
            sc.LegendText = spec.Legend ? s.Name : "";
            sc.MarkerSize = spec.Markers ? 5 : 0;
            sc.LineWidth = spec.Markers ? 0 : 1.5f;
            if (spec.HighlightLast)
            {
                var last = i == spec.Series.Count - 1;
                sc.Color = last ? Colors.Black : Colors.Gray.WithAlpha(0.6);
                sc.LineWidth = last ? 2 : 1;
            }
            if (spec.DashedOdd && i % 2 == 1)
            {
                sc.LinePattern = LinePattern.Dashed;
                sc.Color = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ElementAt(i - 1).Color;
            }
        }
        plot.XLabel(spec.XLabel);
        plot.YLabel(spec.LogY ? $"log10 {spec.YLabel}" : spec.YLabel);
        // Markers are few points spread over the whole area: a legend inside would hide some of them.
        if (spec.Series.Count > 1 && spec.Legend)
        {
            if (spec.Markers)
                plot.ShowLegend(Edge.Right);
            else
                plot.ShowLegend();
        }
    }

    private static void DrawMap(Plot plot, PointMap map)
    {
        if (map.Categorical)
        {
            var palette = new ScottPlot.Palettes.Category10();
            foreach (var (value, k) in map.Value.Distinct().Order().Select((v, k) => (v, k)))
            {
                var idx = Enumerable.Range(0, map.Value.Length).Where(i => map.Value[i] == value).ToArray();
                var markers = plot.Add.Markers(idx.Select(i => map.X[i]).ToArray(), idx.Select(i => map.Y[i]).ToArray(),
                    MarkerShape.FilledCircle, 3, palette.GetColor(k));
                markers.LegendText = $"{map.ValueLabel} {value:G4}";
            }
            plot.ShowLegend(Edge.Right);
        }
        else
        {
            var range = Finite(map.Value);
            var scale = new ColourScale(new ScottPlot.Colormaps.Viridis(), range);
            var bands = Enumerable.Range(0, map.Value.Length).Where(i => double.IsFinite(map.Value[i]))
                .GroupBy(i => scale.Band(map.Value[i], ColourBands)).OrderBy(g => g.Key);
            foreach (var band in bands)
                plot.Add.Markers(band.Select(i => map.X[i]).ToArray(), band.Select(i => map.Y[i]).ToArray(),
                    MarkerShape.FilledCircle, 3, scale.Colormap.GetColor((band.Key + 0.5) / ColourBands));
            plot.Add.ColorBar(scale, Edge.Right).Label = map.ValueLabel;
        }
        plot.XLabel(map.XLabel);
        plot.YLabel(map.YLabel);
    }

    private static void DrawTiles(Plot plot, ImageTiles tiles)
    {
        var (n, rows, cols) = (tiles.Count, tiles.Rows, tiles.Cols);
        var size = rows * cols;
        var columns = Math.Max(1, Math.Min(tiles.Columns, n));
        var gridRows = (n + columns - 1) / columns;
        var grid = new double[gridRows * (rows + 1) + 1, columns * (cols + 1) + 1];
        for (var k = 0; k < n; k++)
        {
            var (r0, c0) = (k / columns * (rows + 1) + 1, k % columns * (cols + 1) + 1);
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < cols; c++)
                    grid[r0 + r, c0 + c] = tiles.Pixels[k * size + r * cols + c];
        }
        var hm = plot.Add.Heatmap(grid);
        hm.Colormap = new ScottPlot.Colormaps.Grayscale();
        hm.ManualRange = new ScottPlot.Range(0, 1);
        plot.Axes.Frameless();
        plot.HideGrid();
    }

    private static ScottPlot.Range Finite(double[] values)
    {
        var finite = values.Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var (lo, hi) = (finite.Min(), finite.Max());
        return hi > lo ? new ScottPlot.Range(lo, hi) : new ScottPlot.Range(lo - 0.5, lo + 0.5);
    }

    // The colour axis of a banded point map, for its colour bar.
    private sealed class ColourScale(IColormap colormap, ScottPlot.Range range) : IHasColorAxis
    {
        public IColormap Colormap { get; set; } = colormap;
        public ScottPlot.Range GetRange() => range;
        public int Band(double value, int bands) =>
            Math.Clamp((int)((value - range.Min) / (range.Max - range.Min) * bands), 0, bands - 1);
    }
}
