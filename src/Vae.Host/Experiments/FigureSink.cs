using Vae.Reports.Html;
using Vae.Simulation.Storage;

namespace Vae.Host.Experiments;

/// <summary>Where an experiment's figures go: PNG files in one folder, and the same figures in the report.</summary>
public sealed class FigureSink(string folder, HtmlReport report)
{
    /// <summary>Adds a section heading to the report.</summary>
    public void Heading(string text) => report.Heading(text);

    /// <summary>A chart: PNG file, interactive in the report.</summary>
    public void Chart(string file, ChartSpec spec, string caption)
    {
        AtomicFile.WriteAllBytes(Path.Combine(folder, file), PngFigures.Render(spec), createFolder: true);
        report.Chart(spec).Paragraph(caption);
    }

    /// <summary>A ready PNG: file and embedded image.</summary>
    public void Image(string file, byte[] png, string caption)
    {
        AtomicFile.WriteAllBytes(Path.Combine(folder, file), png, createFolder: true);
        report.Image(png, caption);
    }

    /// <summary>Panels in a grid (null cells stay empty); nothing when no panel is there.</summary>
    public void Grid(string file, IReadOnlyList<Panel?> panels, int columns, int panelWidth, int panelHeight, string caption)
    {
        if (panels.All(p => p is null))
        {
            report.Paragraph("No finished run for this figure yet.");
            return;
        }
        Image(file, PngFigures.Grid(panels, columns, panelWidth, panelHeight), caption);
    }
}
