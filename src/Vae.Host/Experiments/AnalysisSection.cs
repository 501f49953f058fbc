using System.Globalization;
using Vae.Reports.Html;
using Vae.Runs.Training;
using Vae.Runs.Settings;

namespace Vae.Host.Experiments;

/// <summary>
/// The experiment report's section on what the latent spaces learned: the cross-config analysis table
/// (<see cref="AnalysisTable"/>) and its figures: test R^2 of gK and gNa from the latent means of the HH Conv
/// sweep against latent size (a series per beta, with the best hand-crafted feature set and PCA of as many
/// components as references), and the MNIST IWAE likelihood bound and active units against latent size per
/// model. A figure none of whose runs has been analyzed is left out.
/// </summary>
public static class AnalysisSection
{
    /// <summary>The section's heading in report.html.</summary>
    public const string Heading = "What the latent spaces learned";

    /// <summary>Adds the table and the figures of <paramref name="rows"/> to the report through <paramref name="sink"/>.</summary>
    public static void Write(HtmlReport report, FigureSink sink, IReadOnlyList<AnalysisRow> rows)
    {
        report.Heading(Heading)
            .Paragraph("One row per analyzed config, from its run folder's analysis.json (docs/analysis.md): active units and MIG of the latent; "
                       + "for HH, test R2 of gK and gNa from the latent means, from the best hand-crafted feature set and from PCA with as many "
                       + "components as the latent, each with its better regressor (highest mean R2); for MNIST, the IWAE bound on the test "
                       + "negative log-likelihood (nats, K importance samples), the test negative ELBO (beta = 1) and k-NN digit accuracy on the "
                       + "latent means and on PCA of the pixels with as many components. The same table is analysis.csv and analysis.md.")
            .Table(AnalysisTable.Header, rows.Select(r => (IReadOnlyList<string>)AnalysisTable.Cells(r)));

        var hh = rows.Where(r => r.Entry.Sweep == "hh-conv" && r.Latent is not null).ToList();
        sink.Heading("Recovery of gK and gNa against latent size (HH Conv-VAE)");
        foreach (var factor in Vae.Runs.Analysis.HhAnalysis.Factors)
        {
            double R2(Vae.Runs.Analysis.RecoveryRow row, AnalysisRow r) => row.R2[Array.IndexOf(r.Result.Factors, factor)];
            var latent = hh.GroupBy(r => r.Entry.Config.Beta).OrderBy(g => g.Key)
                .Select(g => Line($"latent means, beta = {g.Key.ToString(CultureInfo.InvariantCulture)}", g.Select(r => (Z(r), R2(r.Latent!, r)))))
                .ToList();
            // References first, so that the runs' markers are drawn over them where they coincide.
            List<Series> series = latent.Count == 0 ? [] :
            [
                Line("best hand-crafted feature set", hh.Where(r => r.Features is not null).Select(r => (Z(r), R2(r.Features!, r)))),
                Line("PCA, as many components", hh.Where(r => r.Pca is not null).Select(r => (Z(r), R2(r.Pca!, r)))),
                .. latent,
            ];
            Chart(report, sink, $"analysis-hh-conv-r2-{factor}.png",
                new ChartSpec($"Test R2 of {factor}", "latent dimensions", "R2", Drop(series), Markers: true),
                $"Test R2 of {factor} from the latent means (better of ridge and k-NN) per beta; the feature sets and PCA are "
                + "computed from the same traces "
                + "(means over the runs at each latent size; they do not depend on beta).");
        }

        var mnist = rows.Where(r => r.Entry.Sweep == "mnist-latent").ToList();
        var samples = string.Join(", ", mnist.Select(r => r.Result.IwaeSamples).OfType<int>().Distinct().Order());
        sink.Heading("IWAE test negative log-likelihood against latent size (MNIST)");
        Chart(report, sink, "analysis-mnist-iwae.png", new ChartSpec("IWAE bound on the test NLL", "latent dimensions", "nats",
                PerModel(mnist.Where(r => r.Result.IwaeNll is not null), r => r.Result.IwaeNll!.Value), Markers: true),
            $"Importance-weighted bound on -log p(x) of the test digits, K = {samples} samples per image; lower is better.");
        sink.Heading("Active units against latent size (MNIST)");
        var active = PerModel(mnist, r => r.Result.ActiveUnits);
        if (active.Count > 0)
            active.Insert(0, Line("all dimensions", mnist.Select(r => (Z(r), Z(r)))));
        Chart(report, sink, "analysis-mnist-active-units.png",
            new ChartSpec("Active units", "latent dimensions", "active dimensions", active, Markers: true),
            "Latent dimensions whose posterior mean varies over the test digits by more than 0.01.");
    }

    private static double Z(AnalysisRow r) => r.Entry.Config.LatentDim;

    private static List<Series> PerModel(IEnumerable<AnalysisRow> rows, Func<AnalysisRow, double> y) =>
        Drop(ModelFamily.Study.Select(m => Line($"{m.Label}-VAE", rows.Where(r => r.Entry.Config.Model == m).Select(r => (Z(r), y(r)))))).ToList();

    // One point per x, in increasing x (duplicates averaged, e.g. the reference drawn from several runs).
    private static Series Line(string name, IEnumerable<(double X, double Y)> points)
    {
        var p = points.GroupBy(t => t.X).OrderBy(g => g.Key).Select(g => (X: g.Key, Y: g.Average(t => t.Y))).ToArray();
        return new Series(name, [.. p.Select(t => t.X)], [.. p.Select(t => t.Y)]);
    }

    private static List<Series> Drop(IEnumerable<Series> series) => [.. series.Where(s => s.X.Length > 0)];

    private static void Chart(HtmlReport report, FigureSink sink, string file, ChartSpec spec, string caption)
    {
        if (spec.Series.Count == 0)
            report.Paragraph("No analyzed run for this figure yet.");
        else
            sink.Chart(file, spec, caption);
    }
}
