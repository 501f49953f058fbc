using Vae.Runs.Analysis;
using Vae.Host.Experiments;
using Vae.Runs.Persistence;
using Vae.Reports.Html;
using Vae.Runs.Experiments;
using Vae.Runs.Settings;

namespace Vae.Host.Tests.Experiments;

/// <summary>The experiment's cross-config analysis table and its report section, from constructed analysis.json files.</summary>
public sealed class AnalysisTableTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-atable-").FullName;
    private readonly IReadOnlyList<SweepEntry> _all = PaperSweeps.All("hh.h5", 1);
    private ExperimentFolder Folder => new(Path.Combine(_tmp, "exp"));

    public void Dispose() => Directory.Delete(_tmp, true);

    private SweepEntry Entry(string name) => _all.Single(e => e.Name == name);

    private void Put(string name, string json)
    {
        var run = RunFolder.At(Folder.RunOf(name));
        run.WriteText(run.AnalysisPath, json);
    }

    private static RecoveryRow Rec(string rep, string input, string regressor, double gK, double gNa) =>
        new(rep, input, regressor, 2, [gK, gNa], [1, 1], [1, 1]);

    private static AnalysisResult Hh(int latent) => new()
    {
        Dataset = "hh", Scaling = "dataset", LatentDim = latent, TrainExamples = 24, TestExamples = 6, Factors = ["gK", "gNa"],
        ActiveUnits = 2, Dimensions = [], Mig = 0.25, MigPerFactor = [0.3, 0.2],
        Recovery =
        [
            Rec(AnalysisResult.LatentName, "model input", AnalysisResult.Ridge, 0.90, 0.80),
            Rec(AnalysisResult.LatentName, "model input", AnalysisResult.Knn, 0.95, 0.85),
            Rec(AnalysisResult.PcaName(latent), "model input", AnalysisResult.Ridge, 0.50, 0.40),
            Rec(AnalysisResult.PcaName(latent), "model input", AnalysisResult.Knn, 0.45, 0.35),
            // PCA with more components than the latent is not the like-for-like baseline, however good.
            Rec(AnalysisResult.PcaName(RunAnalysis.PcaComponents), "model input", AnalysisResult.Knn, 0.99, 0.99),
            Rec(AnalysisResult.FeatureSetName("eFEL-style"), "traces in mV", AnalysisResult.Knn, 0.96, 0.90),
            Rec(AnalysisResult.FeatureSetName("eFEL-style"), "each trace scaled to [0, 1]", AnalysisResult.Ridge, 0.97, 0.96),
            Rec(AnalysisResult.FeatureSetName("sbi"), "traces in mV", AnalysisResult.Knn, 0.60, 0.70),
        ],
        Information =
        [
            Nats(AnalysisResult.LatentName, "model input", 4.25),
            Nats(AnalysisResult.PcaName(latent), "model input", 3.5),
            Nats(AnalysisResult.PcaName(RunAnalysis.PcaComponents), "model input", 6),
            Nats(AnalysisResult.FeatureSetName("eFEL-style"), "traces in mV", 4.75),
            Nats(AnalysisResult.FeatureSetName("sbi"), "traces in mV", 5.25),
        ],
    };

    private static Vae.Runs.Inference.InformationRow Nats(string rep, string input, double nats) =>
        new(rep, input, 2, "mdn", 50, 6, nats - 5.99, new(nats, nats - 0.1, nats + 0.1), [1, 2], [0.9, 0.8], [0.5, 0.5], [0.5, 0.8, 0.95], 0);

    private static AnalysisResult Mnist(int latent) => new()
    {
        Dataset = "mnist", LatentDim = latent, TrainExamples = 100, TestExamples = 50, Factors = ["digit"],
        ActiveUnits = 7, Dimensions = [], Mig = 0.125, MigPerFactor = [0.125],
        Digits =
        [
            new DigitRow(AnalysisResult.LatentName, AnalysisResult.LinearProbe, latent, 0.95, 0),
            new DigitRow(AnalysisResult.LatentName, AnalysisResult.Knn, latent, 0.93, 5),
            new DigitRow(AnalysisResult.PixelPcaName(latent), AnalysisResult.Knn, latent, 0.91, 5),
        ],
        IwaeNll = 80.123, IwaeSamples = 100, TestNegativeElbo = 84.5,
    };

    // analysis.json as the first version of analyze wrote it for HH: no hand-crafted features, no scaling, no notes.
    private const string OldHh = """
        {"dataset": "hh", "latentDim": 2, "trainExamples": 24, "testExamples": 6, "factors": ["gK", "gNa"], "activeUnits": 1,
         "dimensions": [{"dim": 0, "kl": 1.5, "activity": 0.5, "active": true, "mutualInformation": [0.3, 0.1]}],
         "mig": 0.2, "migPerFactor": [0.3, 0.1], "sap": 0.1,
         "recovery": [{"representation": "latent means", "input": "model input (each trace scaled to [0, 1])", "regressor": "ridge",
                       "dimensions": 2, "r2": [0.7, 0.6], "rmse": [1, 2], "chosen": [1, 1]}]}
        """;

    private static string Cell(string[] cells, string column) => cells[Array.IndexOf(AnalysisTable.Header, column)];

    [Fact]
    public void One_row_per_analyzed_config_with_the_cells_that_apply_and_old_files_read()
    {
        Put("hh-conv-z2-beta1", Hh(2).ToJson());
        Put("mnist-mlp-z10-beta1", Mnist(10).ToJson());
        Put("hh-mlp-z2-beta1", OldHh);
        Directory.CreateDirectory(Folder.RunOf("hh-conv-z10-beta1")); // trained, not analyzed: left out

        var rows = AnalysisTable.Collect(Folder, _all);
        Assert.Equal(["mnist-mlp-z10-beta1", "hh-conv-z2-beta1", "hh-mlp-z2-beta1"], rows.Select(r => r.Entry.Name));

        var hh = AnalysisTable.Cells(rows[1]);
        Assert.Equal(("hh-conv", "conv", "2", "1", "dataset"),
            (Cell(hh, "sweep"), Cell(hh, "model"), Cell(hh, "latent"), Cell(hh, "beta"), Cell(hh, "scaling")));
        Assert.Equal(("2", "0.250"), (Cell(hh, "active units"), Cell(hh, "MIG")));
        Assert.Equal(("0.950", "0.850", "k-NN"), (Cell(hh, "R2 gK latent"), Cell(hh, "R2 gNa latent"), Cell(hh, "latent regressor")));
        Assert.Equal(("eFEL-style features", "each trace scaled to [0, 1]", "ridge", "0.970", "0.960"),
            (Cell(hh, "best features"), Cell(hh, "features input"), Cell(hh, "features regressor"), Cell(hh, "R2 gK features"),
            Cell(hh, "R2 gNa features")));
        Assert.Equal(("PCA 2", "ridge", "0.500", "0.400"),
            (Cell(hh, "PCA"), Cell(hh, "PCA regressor"), Cell(hh, "R2 gK PCA"), Cell(hh, "R2 gNa PCA")));
        foreach (var mnistOnly in new[] { "IWAE NLL", "IWAE K", "test negative ELBO", "k-NN accuracy latent", "k-NN accuracy PCA of pixels" })
            Assert.Equal("", Cell(hh, mnistOnly));

        var mnist = AnalysisTable.Cells(rows[0]);
        Assert.Equal(("80.12", "100", "84.50"), (Cell(mnist, "IWAE NLL"), Cell(mnist, "IWAE K"), Cell(mnist, "test negative ELBO")));
        Assert.Equal(("0.930", "0.910", "7", "0.125"),
            (Cell(mnist, "k-NN accuracy latent"), Cell(mnist, "k-NN accuracy PCA of pixels"), Cell(mnist, "active units"), Cell(mnist, "MIG")));
        foreach (var hhOnly in new[] { "scaling", "R2 gK latent", "R2 gNa latent", "best features", "R2 gK features", "PCA", "R2 gNa PCA" })
            Assert.Equal("", Cell(mnist, hhOnly));

        // The old file: its scaling from the run's config, no feature or PCA cells.
        var old = AnalysisTable.Cells(rows[2]);
        Assert.Equal(("trace", "0.700", "0.600", "ridge"),
            (Cell(old, "scaling"), Cell(old, "R2 gK latent"), Cell(old, "R2 gNa latent"), Cell(old, "latent regressor")));
        Assert.Equal(("", "", ""), (Cell(old, "best features"), Cell(old, "PCA"), Cell(old, "R2 gK features")));
    }

    [Fact]
    public void The_tables_are_written_as_csv_under_the_header_owner_and_as_markdown()
    {
        Put("hh-conv-z2-beta1", Hh(2).ToJson());
        AnalysisTable.Write(Folder, _all);
        var csv = File.ReadAllLines(Folder.AnalysisCsv);
        Assert.Equal(2, csv.Length);
        Assert.Equal(string.Join(",", AnalysisTable.Header), csv[0]);
        Assert.StartsWith("hh-conv,hh-conv-z2-beta1,hh,conv,2,1,dataset,2,0.250,0.950,0.850,k-NN,eFEL-style features,\"each trace "
            + "scaled to [0, 1]\",ridge,", csv[1]);
        Assert.Equal(AnalysisTable.Header.Length, csv[1].Replace("\"each trace scaled to [0, 1]\"", "x").Split(',').Length);
        var md = File.ReadAllText(Folder.AnalysisMarkdown);
        Assert.StartsWith($"| {string.Join(" | ", AnalysisTable.Header)} |", md);
        Assert.Contains("| hh-conv | hh-conv-z2-beta1 | hh | conv |", md);
    }

    [Fact]
    public void An_unreadable_analysis_is_bad_input_naming_the_file()
    {
        Put("hh-conv-z2-beta1", "{\"dataset\": ");
        var e = Assert.Throws<InvalidDataException>(() => AnalysisTable.Collect(Folder, _all));
        Assert.Contains(Path.Combine("hh-conv-z2-beta1", "analysis.json"), e.Message);
        Assert.Contains("reproduce report", e.Message);
    }

    [Fact]
    public void The_section_draws_each_figure_its_runs_allow()
    {
        var figures = Path.Combine(_tmp, "figures");
        string[] Drawn() => Directory.Exists(figures) ? [.. Directory.GetFiles(figures).Select(f => Path.GetFileName(f)!).Order()] : [];
        var report = new HtmlReport("t");
        AnalysisSection.Write(report, new FigureSink(figures, report), []);
        Assert.Empty(Drawn());
        Assert.Contains("No analyzed run for this figure yet.", report.Render());

        var rows = new[] { ("hh-conv-z2-beta1", Hh(2)), ("hh-conv-z10-beta0.5", Hh(10)), ("mnist-mlp-z10-beta1", Mnist(10)),
            ("mnist-conv-z20-beta1", Mnist(20)) }
            .Select(x => new AnalysisRow(Entry(x.Item1), x.Item2)).ToList();
        report = new HtmlReport("t");
        AnalysisSection.Write(report, new FigureSink(figures, report), rows);
        Assert.Equal(["analysis-hh-conv-r2-gK.png", "analysis-hh-conv-r2-gNa.png", "analysis-mnist-active-units.png", "analysis-mnist-iwae.png"],
            Drawn());
        var html = report.Render();
        Assert.Contains(AnalysisSection.Heading, html);
        Assert.Contains("latent means, beta = 0.5", html);
        Assert.Contains("best hand-crafted feature set", html);
        Assert.Contains("CONV-VAE", html);
        Assert.DoesNotContain("No analyzed run for this figure yet.", html);
    }

    [Fact]
    public void Hh_rows_give_the_nats_of_the_latent_the_most_informative_feature_set_and_like_sized_pca()
    {
        var hh = AnalysisTable.Cells(new AnalysisRow(Entry(_all.First(e => e.Config.Dataset == Dataset.Hh).Name), Hh(2)));
        Assert.Equal(("4.25", "5.25", "sbi features (traces in mV)", "3.50"),
            (Cell(hh, "nats latent"), Cell(hh, "nats best features"), Cell(hh, "nats features"), Cell(hh, "nats PCA")));
        var mnist = AnalysisTable.Cells(new AnalysisRow(Entry(_all.First(e => e.Config.Dataset == Dataset.Mnist).Name), Mnist(2)));
        Assert.All(new[] { "nats latent", "nats best features", "nats features", "nats PCA" }, c => Assert.Equal("", Cell(mnist, c)));
    }
}
