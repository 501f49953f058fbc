using System.Globalization;
using System.Text.Json;
using Vae.Runs.Analysis;
using Vae.Runs.Persistence;
using Vae.Reports.Html;
using Vae.Simulation.Storage;
using Vae.Runs.Training;
using Vae.Runs.Experiments;
using Vae.Runs.Settings;
using Vae.Runs.Inference;

namespace Vae.Host.Experiments;

/// <summary>One row of the analysis table: a config and what its latent space learned (its run's analysis.json).</summary>
public sealed record AnalysisRow(SweepEntry Entry, AnalysisResult Result)
{
    /// <summary>Recovery from the latent means by the better regressor (mean R^2 over gK and gNa); null for MNIST.</summary>
    public RecoveryRow? Latent => Result.Best(AnalysisResult.IsLatent);
    /// <summary>The best hand-crafted feature set, input and regressor; null for MNIST and for analyses without features.</summary>
    public RecoveryRow? Features => Result.Best(AnalysisResult.IsFeatureSet);
    /// <summary>PCA of the model's input with as many components as the latent, by the better regressor.</summary>
    public RecoveryRow? Pca => Result.Best(r => r.Representation == AnalysisResult.PcaName(Result.LatentDim));
    /// <summary>The information bound of the latent means (nats); null without an information table.</summary>
    public InformationRow? LatentNats => Result.Information.FirstOrDefault(i => i.Representation == AnalysisResult.LatentName);
    /// <summary>The feature set with the most nats (any input); null without one.</summary>
    public InformationRow? FeaturesNats =>
        Result.Information.Where(i => i.Representation.EndsWith(AnalysisResult.FeatureSetName(""), StringComparison.Ordinal))
            .OrderByDescending(i => i.Nats.Estimate).FirstOrDefault();
    /// <summary>The information bound of PCA with as many components as the latent (nats).</summary>
    public InformationRow? PcaNats => Result.Information.FirstOrDefault(i => i.Representation == AnalysisResult.PcaName(Result.LatentDim));
    /// <summary>k-NN digit accuracy on the latent means (MNIST).</summary>
    public DigitRow? LatentKnn => Knn(AnalysisResult.LatentName);
    /// <summary>k-NN digit accuracy on PCA of the pixels with as many components as the latent (MNIST).</summary>
    public DigitRow? PixelPcaKnn => Knn(AnalysisResult.PixelPcaName(Result.LatentDim));

    private DigitRow? Knn(string representation) =>
        Result.Digits.FirstOrDefault(d => d.Representation == representation && d.Classifier == AnalysisResult.Knn);
}

/// <summary>
/// The experiment's cross-config analysis table, as CSV and Markdown, from the analysis.json of its run folders:
/// active units and MIG for every config; for HH the test R^2 of gK and gNa from the latent means, from the best
/// hand-crafted feature set and from PCA with as many components, and the information bound (nats) of each; for
/// MNIST the IWAE likelihood bound, the negative ELBO and k-NN digit accuracy on the latent means and on PCA of the
/// pixels. A cell that does not apply stays empty.
/// </summary>
public static class AnalysisTable
{
    private static readonly string GK = HhAnalysis.Factors[0];
    private static readonly string GNa = HhAnalysis.Factors[1];

    // Each column's name beside its cell, so the header and the rows cannot drift apart.
    private static readonly (string Name, Func<AnalysisRow, string> Cell)[] Columns =
    [
        ("sweep", r => r.Entry.Sweep),
        ("config", r => r.Entry.Name),
        ("dataset", r => r.Entry.Config.Dataset.Text),
        ("model", r => r.Entry.Config.Model.Text),
        ("latent", r => I(r.Entry.Config.LatentDim)),
        ("beta", r => r.Entry.Config.Beta.ToString(CultureInfo.InvariantCulture)),
        // Analyses written before the scaling was recorded in them: the config says.
        ("scaling", r => r.Result.Scaling ?? (r.Result.Dataset == Dataset.Hh.Text ? r.Entry.Config.Scaling.Text : "")),
        ("active units", r => I(r.Result.ActiveUnits)),
        ("MIG", r => F3(r.Result.Mig)),
        ($"R2 {GK} latent", r => R2(r, r.Latent, GK)),
        ($"R2 {GNa} latent", r => R2(r, r.Latent, GNa)),
        ("latent regressor", r => r.Latent?.Regressor ?? ""),
        ("best features", r => r.Features?.Representation ?? ""),
        ("features input", r => r.Features?.Input ?? ""),
        ("features regressor", r => r.Features?.Regressor ?? ""),
        ($"R2 {GK} features", r => R2(r, r.Features, GK)),
        ($"R2 {GNa} features", r => R2(r, r.Features, GNa)),
        ("PCA", r => r.Pca?.Representation ?? ""),
        ("PCA regressor", r => r.Pca?.Regressor ?? ""),
        ($"R2 {GK} PCA", r => R2(r, r.Pca, GK)),
        ($"R2 {GNa} PCA", r => R2(r, r.Pca, GNa)),
        ("nats latent", r => Nats(r.LatentNats)),
        ("nats best features", r => Nats(r.FeaturesNats)),
        ("nats features", r => r.FeaturesNats is { } f ? $"{f.Representation} ({f.Input})" : ""),
        ("nats PCA", r => Nats(r.PcaNats)),
        ("IWAE NLL", r => r.Result.IwaeNll is { } v ? F2(v) : ""),
        ("IWAE K", r => r.Result.IwaeSamples is { } k && r.Result.IwaeNll is not null ? I(k) : ""),
        ("test negative ELBO", r => r.Result.TestNegativeElbo is { } v ? F2(v) : ""),
        ("k-NN accuracy latent", r => r.LatentKnn is { } d ? F3(d.Accuracy) : ""),
        ("k-NN accuracy PCA of pixels", r => r.PixelPcaKnn is { } d ? F3(d.Accuracy) : ""),
    ];

    /// <summary>Column names of the table, in order (the CSV header).</summary>
    public static readonly string[] Header = [.. Columns.Select(c => c.Name)];

    /// <summary>The cells of one row, formatted; empty where a value does not apply.</summary>
    public static string[] Cells(AnalysisRow r) => [.. Columns.Select(c => c.Cell(r))];

    /// <summary>Rows for every entry whose run folder has an analysis.json, in the order of <paramref name="entries"/>.</summary>
    /// <exception cref="InvalidDataException">An analysis.json that cannot be read, naming the file and what to do.</exception>
    public static List<AnalysisRow> Collect(ExperimentFolder folder, IEnumerable<SweepEntry> entries)
    {
        var rows = new List<AnalysisRow>();
        foreach (var e in entries)
        {
            var path = RunFolder.At(folder.RunOf(e.Name)).AnalysisPath;
            if (!File.Exists(path))
                continue;
            try
            {
                rows.Add(new AnalysisRow(e, AnalysisResult.FromJson(File.ReadAllText(path))));
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path} is not a readable analysis ({ex.Message}); delete it and run reproduce report "
                    + "to analyze the run again.");
            }
        }
        return rows;
    }

    /// <summary>The table as CSV.</summary>
    public static string ToCsv(IEnumerable<AnalysisRow> rows) => TextTables.Csv(Header, rows.Select(Cells));

    /// <summary>The table as Markdown.</summary>
    public static string ToMarkdown(IEnumerable<AnalysisRow> rows) => TextTables.Markdown(Header, rows.Select(Cells));

    /// <summary>Writes the table as CSV and Markdown, each atomically.</summary>
    public static void Write(ExperimentFolder folder, IReadOnlyList<SweepEntry> all)
    {
        var rows = Collect(folder, all);
        AtomicFile.WriteAllText(folder.AnalysisCsv, ToCsv(rows), createFolder: true);
        AtomicFile.WriteAllText(folder.AnalysisMarkdown, ToMarkdown(rows), createFolder: true);
    }

    private static string R2(AnalysisRow r, RecoveryRow? row, string factor) =>
        row is not null && Array.IndexOf(r.Result.Factors, factor) is var j and >= 0 && j < row.R2.Length ? F3(row.R2[j]) : "";
    private static string Nats(InformationRow? row) => row is null ? "" : F2(row.Nats.Estimate);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string F2(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F2", CultureInfo.InvariantCulture);
    private static string F3(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F3", CultureInfo.InvariantCulture);
}
