using Vae.Reports.Analysis;
using Vae.Runs.Analysis;
using Vae.Runs.Data;
using Vae.Reports.Figures;
using Vae.Runs.Persistence;
using Vae.Reports.Html;
using static TorchSharp.torch;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments;

/// <summary>What the experiment's figures draw from one finished run: its data, examples and latent maps.</summary>
public sealed record RunView(SweepEntry Entry, TrainingData Data, RunExamples Examples, IReadOnlyList<PointMap> Maps);

/// <summary>
/// The finished runs of an experiment (complete as <see cref="ExperimentState"/> judges them, as reproduce
/// does), each loaded once: its examples and latent maps are computed and its parameters freed straight away.
/// The data of each dataset is loaded once. A finished run without an analysis is analyzed on request (<see cref="AnalyzeMissing"/>).
/// </summary>
public sealed class FinishedRuns(string root, string dataRoot, string? mnistDir, int threads) : IDisposable
{
    // As many digits as two rows of eight need, and traces for two panels of two.
    private const int ImageExamples = 16;
    private const int TraceExamples = 4;

    private readonly Dictionary<string, TrainingData> _data = [];
    private readonly Dictionary<string, RunView?> _views = [];

    /// <summary>The run of <paramref name="entry"/>, or null when it has not finished.</summary>
    public RunView? Of(SweepEntry entry) => _views.TryGetValue(entry.Name, out var known) ? known : Load(entry, null);

    /// <summary>
    /// Analyzes every finished run of <paramref name="entries"/> whose folder has no analysis.json (trained before
    /// the analysis existed, or with --no-analysis) as training's end would (<see cref="AnalysisOptions.EndOfTraining"/>),
    /// writing into its run folder; one line per analyzed config to <paramref name="log"/>. Returns how many.
    /// </summary>
    public int AnalyzeMissing(IEnumerable<SweepEntry> entries, Action<string> log)
    {
        var count = 0;
        foreach (var e in entries)
            if (!File.Exists(RunFolder.At(Path.Combine(root, e.Name)).AnalysisPath) && Load(e, log) is not null)
                count++;
        return count;
    }

    // Loads the model once for the view and, when analyzeTo is given, for the analysis.
    private RunView? Load(SweepEntry entry, Action<string>? analyzeTo)
    {
        var folder = Path.Combine(root, entry.Name);
        RunView? view = null;
        if (ExperimentState.Of(folder, entry.Config) == EntryState.Complete)
        {
            var cfg = entry.Config;
            var run = RunFolder.Open(folder);
            var recorded = RunManifest.ReadData(run);
            var key = $"{TrainingData.SourceKey(cfg)}|{recorded}";
            if (!_data.TryGetValue(key, out var data))
                _data[key] = data = TrainingData.Load(cfg, dataRoot, mnistDir, threads, _ => { }, recorded: recorded);
            using var scope = NewDisposeScope();
            var model = Cli.RunArgument.Model(cfg, run, data.Kind, data.Features);
            if (analyzeTo is not null)
            {
                var metrics = MetricsTable.Parse(File.ReadAllText(run.MetricsPath));
                using var held = RunFolderLock.Take(run.Root, analyzeTo);
                var analysis = AnalyzedRun.Write(run, cfg, data, model, metrics, AnalysisOptions.EndOfTraining, _ => { });
                analyzeTo($"{entry.Name}: analyzed (it had no {Path.GetFileName(run.AnalysisPath)}): "
                    + $"{AnalysisReport.Summary(analysis.Result).First()}");
            }
            var images = data is MnistImages;
            var examples = RunExamples.Of(data, model, cfg.Seed, images ? ImageExamples : TraceExamples, images ? ImageExamples : TraceExamples);
            view = new RunView(entry, data, examples, LatentMaps.Of(data, model, Label(entry)));
        }
        _views[entry.Name] = view;
        return view;
    }

    /// <summary>A short panel label: model, latent size and beta.</summary>
    public static string Label(SweepEntry e) =>
        $"{e.Config.Model.Label} z = {e.Config.LatentDim}, beta = {e.Config.Beta.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Frees the loaded data.</summary>
    public void Dispose()
    {
        foreach (var d in _data.Values)
            d.Dispose();
    }
}
