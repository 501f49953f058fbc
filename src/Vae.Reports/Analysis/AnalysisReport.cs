using Vae.Reports.Figures;
using Vae.Runs.Analysis;
using System.Globalization;
using System.Text;
using Vae.Reports.Html;
using Vae.Runs.Inference;

namespace Vae.Reports.Analysis;

/// <summary>
/// The analysis as people read it: tables as Markdown (analysis.md), the same tables and figures as the
/// "What the latent space learned" section of report.html (<see cref="AnalyzedRun"/> writes them into the run folder).
/// </summary>
public static class AnalysisReport
{
    /// <summary>The heading of the report section.</summary>
    public const string Heading = "What the latent space learned";

    private static string Pair(double[] v) => string.Join(", ", v.Select(F));

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>The tables: header and rows, in reading order, each with a title.</summary>
    public static IEnumerable<(string Title, string[] Header, IEnumerable<string[]> Rows)> Tables(AnalysisResult r)
    {
        if (r.Recovery.Length > 0)
            yield return ($"Recovery of gK and gNa on the {r.TestExamples} test traces (fitted on {r.TrainExamples} training traces)",
                ["representation", "input", "regressor", "dims", "R2 gK", "R2 gNa", "RMSE gK", "RMSE gNa", "alpha or k (gK, gNa)"],
                r.Recovery.Select(x => new[]
                {
                    x.Representation, x.Input, x.Regressor, x.Dimensions.ToString(CultureInfo.InvariantCulture),
                    F(x.R2[0]), F(x.R2[1]), F(x.Rmse[0]), F(x.Rmse[1]),
                    string.Join(", ", x.Chosen.Select(c => c.ToString("G3", CultureInfo.InvariantCulture))),
                }));
        if (r.Information.Length > 0)
            yield return InformationTable(r.Information, r.TestExamples);
        if (r.ReconstructionRegions is { } g)
            yield return ($"Reconstruction error on {g.Traces} test traces (mV RMS)",
                ["all samples", "subthreshold", "spike samples", "share of spike samples", "spikes (originals)", "spikes (reconstructions)"],
                [[F(g.RmsMv), F(g.SubthresholdRmsMv), F(g.SpikeRmsMv), F(g.SpikeSampleFraction), $"{g.Spikes}", $"{g.ReconstructedSpikes}"]]);
        if (r.ReconstructedFeatures.Length > 0)
            yield return ("eFEL-style features of the reconstructions against the originals'",
                ["feature", "traces compared", "mean abs. error", "error / std of originals", "only in original", "only in reconstruction"],
                r.ReconstructedFeatures.Select(x => new[]
                {
                    x.Feature, $"{x.Compared}", x.MeanAbsoluteError.ToString("G4", CultureInfo.InvariantCulture), F(x.RelativeError),
                    $"{x.OriginalOnly}", $"{x.ReconstructionOnly}",
                }));
        if (r.Digits.Length > 0)
            yield return ($"Digit accuracy on the {r.TestExamples} test images", ["representation", "classifier", "dims", "accuracy", "k"],
                r.Digits.Select(x => new[]
                {
                    x.Representation, x.Classifier, x.Dimensions.ToString(CultureInfo.InvariantCulture), F(x.Accuracy),
                    x.Classifier == AnalysisResult.Knn ? x.Chosen.ToString(CultureInfo.InvariantCulture) : "",
                }));
        yield return ("Latent dimensions (test set)", ["dim", "KL (nats)", "variance of mean", "active", .. r.Factors.Select(f => $"MI {f} (nats)")],
            r.Dimensions.Select(d => (string[])[$"z{d.Dim + 1}", F(d.Kl), F(d.Activity), d.Active ? "yes" : "no", .. d.MutualInformation.Select(F)]));
        var scores = new List<string[]>
        {
            new[] { "active units", $"{r.ActiveUnits} of {r.LatentDim}" },
            new[]
            {
                "MIG",
                F(r.Mig) + (r.Factors.Length > 1 ? $" ({string.Join(", ", r.Factors.Select((f, i) => $"{f} {F(r.MigPerFactor[i])}"))})" : ""),
            },
        };
        if (r.Sap is { } sap) scores.Add(["SAP", F(sap)]);
        if (r.DciDisentanglement is { } d) scores.Add(["DCI disentanglement", F(d)]);
        if (r.DciCompleteness is { } c) scores.Add(["DCI completeness", F(c)]);
        if (r.DciInformativeness is { } i) scores.Add(["DCI informativeness (k-NN test R2)", F(i)]);
        var unit = r.IwaeUnit ?? "nats";
        if (r.IwaeNll is { } nll) scores.Add([$"IWAE test NLL, K = {r.IwaeSamples} ({unit})", nll.ToString("F2", CultureInfo.InvariantCulture)]);
        if (r.IwaeNllPerSample is { } perSample)
            scores.Add([$"IWAE test NLL per sample, K = {r.IwaeSamples} (nats)", perSample.ToString("F4", CultureInfo.InvariantCulture)]);
        if (r.TestNegativeElbo is { } elbo) scores.Add([$"test negative ELBO, beta = 1 ({unit})", elbo.ToString("F2", CultureInfo.InvariantCulture)]);
        yield return ("Scores", ["measure", "value"], scores);
    }

    /// <summary>The information table: nats, posterior widths and calibration per representation, on <paramref name="tests"/> test traces.</summary>
    public static (string Title, string[] Header, IEnumerable<string[]> Rows) InformationTable(IReadOnlyList<InformationRow> rows, int tests) =>
        ($"Information about (gK, gNa) in nats, on the {tests} test traces",
            ["representation", "input", "dims", "estimator", "nats (95 % CI)", "posterior std gK, gNa", "contraction gK, gNa",
                "SBC p gK, gNa", "coverage 50/80/95 %", "TARP ATC"],
            rows.Select(x => new[]
            {
                x.Representation, x.Input, $"{x.Dimensions}", x.Estimator, $"{F(x.Nats.Estimate)} ({F(x.Nats.Low)} .. {F(x.Nats.High)})",
                Pair(x.PosteriorStd), Pair(x.Contraction), Pair(x.SbcP),
                string.Join(" / ", x.Coverage.Select(c => (100 * c).ToString("F1", CultureInfo.InvariantCulture))), F(x.TarpAtc),
            }));

    /// <summary>analysis.md.</summary>
    public static string Markdown(AnalysisResult r)
    {
        var sb = new StringBuilder($"# {Heading}\n\n");
        foreach (var (title, header, rows) in Tables(r))
            sb.Append(MarkdownTable(title, header, rows));
        foreach (var note in r.Notes.Concat(r.Skipped))
            sb.Append($"- {note}\n");
        return sb.ToString();
    }

    /// <summary>One table as Markdown under a second-level heading, followed by a blank line.</summary>
    public static string MarkdownTable(string title, string[] header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder($"## {title}\n\n| {string.Join(" | ", header)} |\n|{string.Concat(header.Select(_ => "---|"))}\n");
        foreach (var row in rows)
            sb.Append($"| {string.Join(" | ", row)} |\n");
        return sb.Append('\n').ToString();
    }

    /// <summary>Adds the section to a run's report.</summary>
    public static void AddTo(HtmlReport report, AnalysisResult result, IEnumerable<RunFigures.Figure> figures)
    {
        report.Heading(Heading);
        foreach (var (title, header, rows) in Tables(result))
            report.Paragraph(title).Table(header, rows.Select(x => (IReadOnlyList<string>)x));
        foreach (var f in figures)
            report.Image(f.Png, f.Caption);
        foreach (var note in result.Notes.Concat(result.Skipped))
            report.Paragraph(note);
    }

    /// <summary>The headline numbers of an analysis, one per line.</summary>
    public static IEnumerable<string> Summary(AnalysisResult r)
    {
        yield return $"active units {r.ActiveUnits} of {r.LatentDim}, MIG {r.Mig:F3}";
        foreach (var row in r.Recovery.Where(x => x.Regressor == AnalysisResult.Knn || AnalysisResult.IsLatent(x)))
            yield return $"  {row.Representation,-28} {row.Regressor,-6} R2 gK {row.R2[0]:F3}  gNa {row.R2[1]:F3}";
        foreach (var row in r.Information)
            yield return $"  {row.Representation,-28} {row.Nats.Estimate,6:F2} nats  SBC p {row.SbcP[0]:F2}, {row.SbcP[1]:F2}  "
                + $"coverage 95 % {100 * row.Coverage[^1]:F1}";
        if (r.ReconstructionRegions is { } g)
            yield return $"reconstruction error {g.RmsMv:F2} mV RMS: subthreshold {g.SubthresholdRmsMv:F2}, spikes {g.SpikeRmsMv:F2}";
        foreach (var row in r.Digits)
            yield return $"  {row.Representation,-28} {row.Classifier,-13} accuracy {row.Accuracy:F3}";
        if (r.IwaeNll is { } nll)
            yield return $"IWAE test NLL {nll:F2} {r.IwaeUnit ?? "nats"} (K = {r.IwaeSamples}); negative ELBO {r.TestNegativeElbo:F2}";
        foreach (var line in r.Skipped)
            yield return line;
    }
}
