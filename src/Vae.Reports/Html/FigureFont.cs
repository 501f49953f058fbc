using Vae.Simulation.Storage;

namespace Vae.Reports.Html;

/// <summary>
/// The figures' font (DejaVu Sans, free licence), carried inside the assembly so that it is there wherever the
/// library is loaded from: an application's output folder, a NuGet package cache (F# scripts), a tool install.
/// ScottPlot takes fonts by path, so the font is written once to the temporary folder, named by its size.
/// </summary>
internal static class FigureFont
{
    private const string Resource = "DejaVuSans.ttf";

    /// <summary>The font's path, written from the assembly on first use.</summary>
    public static string File()
    {
        using var stream = typeof(FigureFont).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"the figure font {Resource} is missing from {typeof(FigureFont).Assembly.Location}");
        var path = Path.Combine(Path.GetTempPath(), "functionalvae", $"DejaVuSans-{stream.Length}.ttf");
        if (System.IO.File.Exists(path) && new FileInfo(path).Length == stream.Length)
            return path;
        // Written whole, so that concurrent processes never read half a font.
        AtomicFile.Write(path, temp =>
        {
            using var file = System.IO.File.Create(temp);
            stream.CopyTo(file);
        }, createFolder: true);
        return path;
    }
}
