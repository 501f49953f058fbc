using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Reports.Html;
using Vae.Runs.Training;
using Vae.Simulation.Storage;
using Vae.Runs.Settings;

namespace Vae.Reports.Figures;

/// <summary>
/// The figures of a finished run, as PNG files in <c>figures/</c> and together in <c>report.html</c>: loss
/// curves, reconstructions over originals (digit grids or trace overlays), samples from the prior and maps of
/// the test set in latent space.
/// </summary>
public static class RunFigures
{
    private const int ImageExamples = 16;
    private const int TraceExamples = 4;

    /// <summary>A rendered figure: its file name in <c>figures/</c>, the PNG and a caption.</summary>
    public sealed record Figure(string File, byte[] Png, string Caption);

    /// <summary>Renders and writes every figure and the report of a run.</summary>
    /// <remarks><paramref name="section"/> adds a section before the configuration (the latent analysis).</remarks>
    public static void Write(
        TrainConfig cfg, TrainingData data, RunFolder folder, MetricsTable metrics, ITrainedModel model, Action<HtmlReport>? section = null)
    {
        var epochs = metrics.Series(e => e.Epoch);
        var loss = new ChartSpec("Negative ELBO per example", "epoch", "loss",
            [new Series("train", epochs, metrics.Series(e => e.Train.Loss)), new Series("test", epochs, metrics.Series(e => e.Test.Loss))]);
        var recon = cfg.EffectiveLikelihood.ReconstructionTerm;
        var terms = new ChartSpec("Test loss terms", "epoch", "value",
            [new Series(recon, epochs, metrics.Series(e => e.Test.Recon)), new Series("KL", epochs, metrics.Series(e => e.Test.Kl))], LogY: true);
        var maps = Maps(data, model);
        var figures = ModelFigures(data, model, cfg.Seed, maps).Prepend(new Figure("terms.png", PngFigures.Render(terms), ""))
            .Prepend(new Figure("loss.png", PngFigures.Render(loss), "")).ToList();
        Write(folder, figures);

        var last = metrics.Epochs[^1];
        var report = new HtmlReport($"FunctionalVae run: {cfg.Model} VAE on {cfg.Dataset}, latent {cfg.LatentDim}, beta {cfg.Beta}")
            .Heading("Final test metrics")
            .Table(["metric", "value"], MetricsColumns.Named(last).Select(c => (IReadOnlyList<string>)[c.Column, c.Value.ToString("G6")]))
            .Heading("Loss curves").Chart(loss).Chart(terms)
            .Heading("Reconstructions and samples");
        foreach (var f in figures.Where(f => f.File is "reconstructions.png" or "samples.png"))
            report.Image(f.Png, f.Caption);
        report.Heading("Latent space of the test set");
        foreach (var map in maps)
            report.Chart(map);
        report.Paragraph(figures.Single(f => f.File == "latent.png").Caption);
        section?.Invoke(report);
        report.Heading("Configuration").Paragraph(data.Identity)
            .Table(["setting", "value"], System.Text.Json.JsonDocument.Parse(cfg.ToJson()).RootElement.EnumerateObject()
                .Select(o => (IReadOnlyList<string>)[o.Name, o.Value.ToString()]));
        report.Save(folder.ReportPath);
    }

    /// <summary>The figures drawn from the trained model: reconstructions, samples and latent maps (computed when not given).</summary>
    public static IReadOnlyList<Figure> ModelFigures(TrainingData data, ITrainedModel model, long seed, IReadOnlyList<PointMap>? maps = null)
    {
        var images = data is MnistImages;
        var ex = RunExamples.Of(data, model, seed, images ? ImageExamples : TraceExamples, images ? 32 : TraceExamples);
        maps ??= Maps(data, model);
        return
        [
            new("reconstructions.png", Png(ExamplePanels.Reconstructions(data, ex,
                images ? "Originals over reconstructions" : "Test traces (solid) and reconstructions (dashed)")), images
                ? "Test images (odd rows) over their reconstructions through the posterior means (even rows)"
                : "Test traces (solid) and reconstructions through the posterior means (dashed), offset vertically"),
            new("samples.png", Png(ExamplePanels.Samples(data, ex.Samples, "Samples from the prior")),
                "Samples from the prior N(0, I), decoded to data means"),
            new("latent.png", PngFigures.Grid(maps.ToArray<Panel?>(), maps.Count, 560, 440), model.LatentDim switch
            {
                1 => "Posterior means of the test set against the colour value",
                2 => "Posterior means of the test set",
                _ => "Posterior means of the test set projected on their first two principal components",
            }),
        ];
    }

    private static IReadOnlyList<PointMap> Maps(TrainingData data, ITrainedModel model) =>
        LatentMaps.Of(data, model, $"Test set in latent space (z = {model.LatentDim})");

    /// <summary>Writes figures to the run's <c>figures/</c> folder.</summary>
    public static void Write(RunFolder folder, IEnumerable<Figure> figures)
    {
        foreach (var f in figures)
            AtomicFile.WriteAllBytes(Path.Combine(folder.FigureDir, f.File), f.Png, createFolder: true);
    }

    /// <summary>A single panel as PNG: image tiles at their natural size, charts at the default size.</summary>
    public static byte[] Png(Panel panel) => panel is ImageTiles tiles ? PngFigures.Tiles(tiles) : PngFigures.Render(panel);
}
