using Vae.Reports.Analysis;
using Vae.Runs.Settings;
using Vae.Runs;
using System.CommandLine;
using Vae.Runs.Analysis;
using Vae.Host.Cli;
using Vae.Runs.Persistence;
using Vae.Runs.Training;

namespace Vae.Host.Commands;

/// <summary>
/// `analyze &lt;run&gt;`: what the latent space of a trained run learned (analysis.json, analysis.md, figures and a
/// section of report.html). Every input is checked and everything computed before the first file is written.
/// </summary>
public static class AnalyzeCommand
{
    /// <summary>The `analyze` command.</summary>
    public static Command Create()
    {
        var run = new RunArgument();
        var samples = NumericOption.Optional("--iwae-samples", SettingRanges.ImportanceSamples, "Importance samples per test example of the "
            + $"likelihood bound (MNIST, and HH runs with a likelihood in nats; default {AnalysisOptions.DefaultIwaeSamples}; traces cost "
            + "K decoder passes each, so use about 100 there).");
        var data = new Option<string?>("--data")
        {
            Description = "An HH dataset (HDF5 from `simulate`) to analyze an HH run on instead of its own (same trace length).",
        };
        var embedding = new Option<bool>("--embedding-reference")
        {
            Description = "Add the information table's upper reference (HH runs): sbi's CNN embedding network on the traces in mV, "
                + "trained with a spline flow (minutes).",
        };
        var cmd = new Command("analyze", "What the latent space learned: factor recovery against PCA and hand-crafted features, MI/MIG/SAP/DCI, "
            + "active units, the importance-weighted likelihood, traversals.");
        run.AddTo(cmd);
        cmd.Options.Add(samples);
        cmd.Options.Add(data);
        cmd.Options.Add(embedding);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var (folder, cfg, threads) = run.Open(parse);
            using var held = RunFolderLock.Take(folder.Root, output.WriteLine);
            if (!File.Exists(folder.FinalModel))
                throw new UserInputException($"run {folder.Root} has no final model (model.safetensors); finish its training with --resume first.");
            var dataPath = parse.GetValue(data);
            if (dataPath is not null && cfg.Dataset != Dataset.Hh)
                throw new UserInputException($"run {folder.Root} is an MNIST run, analyzed on the MNIST test digits; "
                    + "--data takes HH traces and does not apply to it.");
            if (parse.GetValue(embedding) && cfg.Dataset != Dataset.Hh)
                throw new UserInputException($"run {folder.Root} is an MNIST run; --embedding-reference estimates posteriors of conductances "
                    + "from HH traces and does not apply to it.");
            using var dataset = run.Data(parse, folder, cfg, threads, output.WriteLine, dataPath);
            if (dataPath is not null)
                cfg = cfg with { HhData = Path.GetFullPath(dataPath) };
            var model = RunArgument.Model(cfg, folder, dataset.Kind, dataset.Features);
            var metrics = MetricsTable.Parse(File.ReadAllText(folder.MetricsPath));
            var options = AnalysisOptions.Full with
            {
                IwaeSamples = parse.GetValue(samples) ?? AnalysisOptions.DefaultIwaeSamples,
                EmbeddingReference = parse.GetValue(embedding),
            };
            output.WriteLine($"analyzing {folder.Root} on {dataset.Identity}");
            var analysis = AnalyzedRun.Write(folder, cfg, dataset, model, metrics, options, output.WriteLine);
            foreach (var line in AnalysisReport.Summary(analysis.Result))
                output.WriteLine(line);
            output.WriteLine($"wrote {Path.GetFileName(folder.AnalysisPath)}, {Path.GetFileName(folder.AnalysisMarkdownPath)}, "
                + $"{string.Join(", ", analysis.Figures.Select(f => f.File))} and {Path.GetFileName(folder.ReportPath)} in {folder.Root}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
