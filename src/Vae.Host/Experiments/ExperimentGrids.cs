using Vae.Reports.Figures;
using Vae.Reports.Html;
using Vae.Runs.Training;
using Vae.Runs.Experiments;
using Vae.Runs.Settings;

namespace Vae.Host.Experiments;

/// <summary>
/// The report's multi-panel figures drawn from trained models: reconstructions (4.2, 4.4, 4.6-4.8, A.3, A.4),
/// generated examples (A.1 and the bottom panels of 4.6-4.8) and latent maps of the test set. A cell whose run
/// has not finished stays empty; a figure with no finished run is left out.
/// </summary>
public static class ExperimentGrids
{
    /// <summary>Renders every grid the finished runs allow into <paramref name="sink"/>.</summary>
    public static void Write(IReadOnlyList<SweepEntry> all, FinishedRuns runs, FigureSink sink)
    {
        var models = ModelFamily.Study;
        SweepEntry? Find(Dataset dataset, ModelFamily model, int z, double beta) => all.FirstOrDefault(e =>
            e.Config.Dataset == dataset && e.Config.Model == model && e.Config.LatentDim == z && e.Config.Beta == beta);
        RunView? View(Dataset dataset, ModelFamily model, int z, double beta) => Find(dataset, model, z, beta) is { } e ? runs.Of(e) : null;
        Panel? Recon(RunView? v, string title, int from = 0, int? count = null) =>
            v is null ? null : ExamplePanels.Reconstructions(v.Data, v.Examples, title, from, count);
        Panel? Samples(RunView? v, string title) => v is null ? null : ExamplePanels.Samples(v.Data, v.Examples.Samples, title);
        string Up(ModelFamily m) => m.Label;
        var zs = new[] { 1, 20, 100 };

        sink.Heading("Figure 4.2: MNIST test digits over their reconstructions (columns MLP, DNN, Conv; rows z = 1, 20, 100)");
        sink.Grid("fig4.2-reconstructions.png",
            [.. zs.SelectMany(z => models.Select(m => Recon(View(Dataset.Mnist, m, z, 1), $"{Up(m)}-VAE, z = {z}", 0, 8)))], 3, 480, 170,
            "Each panel: eight test digits (top row) over their reconstructions through the posterior means (bottom row).");

        sink.Heading("Figure 4.4: reconstructions of the Conv beta-VAE (z = 20) at beta 0.1, 2 and 10");
        sink.Grid("fig4.4-beta-reconstructions.png",
            [.. new[] { 0.1, 2, 10 }.Select(b => Recon(View(Dataset.Mnist, ModelFamily.Conv, 20, b), $"beta = {b}", 0, 8))], 3, 480, 170,
            "Lower beta reconstructs more sharply; higher beta blurs towards the prior.");

        foreach (var (fig, z) in new[] { ("4.6", 20), ("4.7", 10), ("4.8", 2) })
        {
            var v = View(Dataset.Hh, ModelFamily.Conv, z, 1);
            sink.Heading($"Figure {fig}: HH traces over their reconstructions and generated traces (Conv beta-VAE, beta = 1, z = {z})");
            sink.Grid($"fig{fig}-hh-z{z}.png", [Recon(v, "Test traces 1-2 (solid) and reconstructions (dashed)", 0, 2),
                Recon(v, "Test traces 3-4 (solid) and reconstructions (dashed)", 2, 2), Samples(v, "Generated from the prior")], 1, 900, 300,
                "Scaled voltage, traces offset vertically.");
        }

        sink.Heading("Figure A.1: generated digits (columns MLP, DNN, Conv; rows z = 1, 20, 100)");
        sink.Grid("figA.1-samples.png", [.. zs.SelectMany(z => models.Select(m => Samples(View(Dataset.Mnist, m, z, 1), $"{Up(m)}-VAE, z = {z}")))],
            3, 480, 170,
            "Sixteen draws from the prior N(0, I) per model, decoded to pixel probabilities.");

        foreach (var (fig, beta) in new[] { ("A.3", 0.5), ("A.4", 2.0) })
        {
            sink.Heading($"Figure {fig}: HH reconstructions and generated traces at beta = {beta} (rows z = 2, 10, 20)");
            sink.Grid($"fig{fig}-hh-beta{beta}.png", [.. new[] { 2, 10, 20 }.SelectMany(z =>
                    new[] { Recon(View(Dataset.Hh, ModelFamily.Conv, z, beta), $"z = {z}: test traces and reconstructions"),
                        Samples(View(Dataset.Hh, ModelFamily.Conv, z, beta), $"z = {z}: generated") })],
                2, 620, 300, "Left: test traces (solid) and reconstructions (dashed); right: traces generated from the prior.");
        }

        Maps(sink, all, runs);
    }

    private static void Maps(FigureSink sink, IReadOnlyList<SweepEntry> all, FinishedRuns runs)
    {
        PointMap? Map(SweepEntry? e, int colouring) => e is not null && runs.Of(e) is { } v ? v.Maps[colouring] : null;
        IEnumerable<SweepEntry?> Sweep(string sweep) => all.Where(e => e.Sweep == sweep);
        const string Projection = "Posterior means of the test set: directly for z = 2, their first two principal components for larger z, "
                                  + "and z1 against the colour value for z = 1.";

        sink.Heading("Latent space of MNIST test digits, coloured by digit (rows MLP, DNN, Conv; columns z = 1, 10, 20, 50, 100)");
        sink.Grid("latent-mnist.png", [.. Sweep("mnist-latent").Select(e => Map(e, 0))], 5, 420, 340, Projection);

        sink.Heading("Latent space of the Conv beta-VAE (z = 20) across beta, coloured by digit");
        var betaRuns = all.Where(e => e.Sweep == "mnist-beta" || e.Name == "mnist-conv-z20-beta1").OrderBy(e => e.Config.Beta);
        sink.Grid("latent-mnist-beta.png", [.. betaRuns.Select(e => Map(e, 0))], 3, 420, 340, Projection);

        foreach (var (colouring, what) in new[] { (0, "gK"), (1, "gNa") })
        {
            sink.Heading($"Latent space of HH test traces, coloured by {what} (Conv beta-VAE; rows beta = 0.5, 1, 2; columns z = 2, 10, 20)");
            sink.Grid($"latent-hh-conv-{what}.png", [.. Sweep("hh-conv").Select(e => Map(e, colouring))], 3, 460, 360, Projection);
        }
        sink.Heading("Latent space of HH test traces under the MLP-VAE (rows z = 2, 20; columns gK, gNa)");
        sink.Grid("latent-hh-mlp.png", [.. Sweep("hh-mlp").SelectMany(e => new[] { Map(e, 0), Map(e, 1) })], 2, 460, 360, Projection);
    }
}
