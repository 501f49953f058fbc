using System.Buffers.Binary;
using System.Text.Json;
using Vae.Reports.Html;

namespace Vae.Reports.Tests.Report;

public class ReportTests
{
    private static readonly ChartSpec Loss = new("Test loss", "epoch", "loss",
        [new Series("ELBO", [1, 2, 3], [200, 150, 120]), new Series("KL", [1, 2, 3], [10, double.NaN, 14])]);

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void Chart_png_has_the_requested_size()
    {
        Assert.Equal((640, 400), PngSize(PngFigures.Render(Loss, 640, 400)));
    }

    [Fact]
    public void Chart_text_is_drawn()
    {
        // Without a usable font the title would not be drawn and both images would be identical.
        Assert.NotEqual(PngFigures.Render(Loss with { Title = "A" }, 300, 200), PngFigures.Render(Loss with { Title = "B" }, 300, 200));
    }

    [Fact]
    public void Image_grid_lays_out_whole_images_with_gaps()
    {
        var pixels = Enumerable.Range(0, 5 * 4 * 3).Select(i => (i % 7) / 6f).ToArray();
        var (w, h) = PngSize(PngFigures.Tiles(new ImageTiles("digits", pixels, Rows: 4, Cols: 3, Columns: 2), scale: 2));
        Assert.Equal((2 * (3 + 1) + 1) * 2, w);
        Assert.Equal((3 * (4 + 1) + 1) * 2 + 40, h);
        Assert.Throws<ArgumentException>(() => PngFigures.Tiles(new ImageTiles("bad", pixels[..^1], 4, 3, 2)));
    }

    [Fact]
    public void Mismatched_series_are_refused()
    {
        var bad = Loss with { Series = [new Series("x", [1, 2], [1])] };
        Assert.Throws<ArgumentException>(() => PlotlyFigure.Json(bad));
    }

    [Fact]
    public void Plotly_json_carries_the_series_with_non_finite_values_as_gaps()
    {
        using var doc = JsonDocument.Parse(PlotlyFigure.Json(Loss));
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal("KL", data[1].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, data[1].GetProperty("y")[1].ValueKind);
        Assert.Equal(150, data[0].GetProperty("y")[1].GetDouble());
        Assert.Equal("Test loss", doc.RootElement.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Html_report_is_self_contained_and_escapes_text()
    {
        var html = new HtmlReport("Run <1>")
            .Heading("Config")
            .Table(["key", "value"], [["beta", "0.5"], ["note", "a<b"]])
            .Chart(Loss)
            .Image(PngFigures.Render(Loss, 200, 100), "loss")
            .Render();
        Assert.Contains("<title>Run &lt;1&gt;</title>", html);
        Assert.Contains("<td>a&lt;b</td>", html);
        Assert.Contains("Plotly.newPlot('chart0'", html);
        Assert.Contains("data:image/png;base64,", html);
        // plotly.js is inlined (megabytes), never fetched from a CDN.
        Assert.True(html.Length > 1_000_000);
        Assert.DoesNotContain("<script src=", html);
    }

    [Fact]
    public void Saving_replaces_the_file_atomically()
    {
        var dir = Directory.CreateTempSubdirectory("fvae-report-").FullName;
        try
        {
            var path = Path.Combine(dir, "report.html");
            new HtmlReport("a").Paragraph("first").Save(path);
            new HtmlReport("b").Paragraph("second").Save(path);
            Assert.Contains("second", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static PointMap Map(bool categorical) =>
        new("codes", "z1", "z2", [0, 1, 2, 3], [1, 0, 1, 0], [3, 1, 3, double.NaN], categorical ? "digit" : "gK", categorical);

    [Fact]
    public void Grid_lays_out_panels_of_every_kind_and_leaves_missing_ones_empty()
    {
        Panel?[] panels = [Loss, Map(true), Map(false), new ImageTiles("digits", new float[2 * 4 * 3], 4, 3, 2), null];
        Assert.Equal((3 * 200, 2 * 150), PngSize(PngFigures.Grid(panels, columns: 3, panelWidth: 200, panelHeight: 150)));
        // The colour values are drawn: a map coloured otherwise renders differently.
        Assert.NotEqual(PngFigures.Render(Map(false), 300, 200), PngFigures.Render(Map(false) with { Value = [0, 0, 0, 1] }, 300, 200));
        Assert.Throws<ArgumentException>(() => PngFigures.Grid([], 2));
    }

    [Fact]
    public void Point_maps_need_a_colour_value_per_point()
    {
        Assert.Throws<ArgumentException>(() => PngFigures.Render(Map(true) with { Value = [1, 2] }));
        Assert.Throws<ArgumentException>(() => PlotlyFigure.Json(Map(false) with { X = [1] }));
    }

    [Fact]
    public void Plotly_maps_have_a_trace_per_category_or_one_colour_scale()
    {
        using var categorical = JsonDocument.Parse(PlotlyFigure.Json(Map(true) with { Value = [3, 1, 3, 1] }));
        var traces = categorical.RootElement.GetProperty("data");
        Assert.Equal(["digit 1", "digit 3"], traces.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(2, traces[1].GetProperty("x").GetArrayLength());

        using var continuous = JsonDocument.Parse(PlotlyFigure.Json(Map(false)));
        var marker = Assert.Single(continuous.RootElement.GetProperty("data").EnumerateArray()).GetProperty("marker");
        Assert.Equal("Viridis", marker.GetProperty("colorscale").GetString());
        Assert.Equal(JsonValueKind.Null, marker.GetProperty("color")[3].ValueKind);
        Assert.Throws<ArgumentException>(() => PlotlyFigure.Json(new ImageTiles("t", new float[4], 2, 2, 1)));
    }
}
