using System.Globalization;
using Vae.Runs.Persistence;
using Vae.Reports.Html;
using Vae.Simulation.Storage;
using Vae.Runs.Experiments;
using Vae.Runs.Settings;

namespace Vae.Host.Experiments;

/// <summary>One row of the results table: a config's final and best test metrics.</summary>
public sealed record ResultRow(string Sweep, string Name, string Dataset, string Model, int LatentDim, double Beta,
    int Epochs, double FinalLoss, double BestLoss, double FinalRecon, double FinalKl, double FinalElboBeta1, double WallSeconds);

/// <summary>The results table of an experiment, as CSV and Markdown, from its run folders.</summary>
public static class ResultsTable
{
    /// <summary>Rows for every entry whose folder has metrics (configs not yet run are left out).</summary>
    public static List<ResultRow> Collect(string root, IEnumerable<SweepEntry> entries)
    {
        var rows = new List<ResultRow>();
        foreach (var e in entries)
        {
            var metricsPath = RunFolder.At(Path.Combine(root, e.Name)).MetricsPath;
            if (!File.Exists(metricsPath))
                continue;
            var m = MetricsTable.Parse(File.ReadAllText(metricsPath));
            if (m.Epochs.Count == 0)
                continue;
            var last = m.Epochs[^1].Test;
            rows.Add(new ResultRow(e.Sweep, e.Name, e.Config.Dataset.Text, e.Config.Model.Text, e.Config.LatentDim, e.Config.Beta,
                m.Epochs.Count, last.Loss, m.Series(x => x.Test.Loss).Min(), last.Recon, last.Kl, last.ElboBeta1, m.Series(x => x.Seconds).Sum()));
        }
        return rows;
    }

    /// <summary>Column names of the table.</summary>
    public static readonly string[] Header =
        ["sweep", "config", "dataset", "model", "latent", "beta", "epochs", "final test loss", "best test loss",
         "final recon", "final KL", "final ELBO (beta=1)", "wall s"];

    /// <summary>The cells of one row, formatted.</summary>
    public static string[] Cells(ResultRow r) =>
    [
        r.Sweep, r.Name, r.Dataset, r.Model, r.LatentDim.ToString(CultureInfo.InvariantCulture), r.Beta.ToString(CultureInfo.InvariantCulture),
        r.Epochs.ToString(CultureInfo.InvariantCulture), F(r.FinalLoss), F(r.BestLoss), F(r.FinalRecon), F(r.FinalKl), F(r.FinalElboBeta1),
        r.WallSeconds.ToString("F0", CultureInfo.InvariantCulture),
    ];

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>The table as CSV.</summary>
    public static string ToCsv(IEnumerable<ResultRow> rows) => TextTables.Csv(Header, rows.Select(Cells));

    /// <summary>The table as Markdown. Reconstruction is BCE in nats per image (MNIST) or SSE per trace (HH).</summary>
    public static string ToMarkdown(IEnumerable<ResultRow> rows) => TextTables.Markdown(Header, rows.Select(Cells));

    /// <summary>
    /// Writes the experiment's tables, each file atomically: this results table and the analysis table
    /// (<see cref="AnalysisTable"/>), as CSV and Markdown. Callers hold the experiment's shared-files lock.
    /// </summary>
    public static void Write(ExperimentFolder folder, IReadOnlyList<SweepEntry> all)
    {
        var rows = Collect(folder.Root, all);
        AtomicFile.WriteAllText(folder.ResultsCsv, ToCsv(rows), createFolder: true);
        AtomicFile.WriteAllText(folder.ResultsMarkdown, ToMarkdown(rows), createFolder: true);
        AnalysisTable.Write(folder, all);
    }
}
