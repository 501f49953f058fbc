using System.CommandLine;
using System.Text.Json;
using Vae.Host.Cli;
using Vae.Runs.Data;
using Vae.Reports.Figures;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Simulation.Storage;
using Vae.Runs.Metrics;

namespace Vae.Host.Commands;

/// <summary>`evaluate &lt;run&gt;`: test metrics of a trained model, written to evaluation.json, and its reconstructions.</summary>
public static class EvaluateCommand
{
    /// <summary>The `evaluate` command.</summary>
    public static Command Create()
    {
        var run = new RunArgument();
        var cmd = new Command("evaluate", "Test-set metrics of a trained run (evaluation.json) and its reconstruction figure.");
        run.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var (folder, cfg, threads) = run.Open(parse);
            using var held = RunFolderLock.Take(folder.Root, output.WriteLine);
            using var data = run.Data(parse, folder, cfg, threads, output.WriteLine);
            var model = RunArgument.Model(cfg, folder, data.Kind, data.Features);
            var m = HeldOutEvaluation.Of(model, cfg, data.Test);
            var test = TestMetrics.Of(m, data.Features);
            var result = new Dictionary<string, object> { ["test_examples"] = (long)data.Test.Count, ["beta"] = cfg.Beta };
            foreach (var (key, value) in MetricsColumns.Named(test))
                result[key] = value;
            result["test_kl_per_dim"] = test.KlPerDimension;
            if (data is HhTraces traces)
            {
                // Where the reconstructions go wrong, in mV: every sample, subthreshold samples, spike samples.
                var (regions, _) = Vae.Runs.Analysis.ReconstructionRegions.Of(traces, model);
                result["reconstruction_rms_mV"] = regions.RmsMv;
                result["reconstruction_subthreshold_rms_mV"] = regions.SubthresholdRmsMv;
                result["reconstruction_spike_rms_mV"] = regions.SpikeRmsMv;
                result["reconstruction_region_traces"] = regions.Traces;
            }
            var path = folder.EvaluationPath;
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }), createFolder: true);
            var figures = RunFigures.ModelFigures(data, model, cfg.Seed);
            RunFigures.Write(folder, figures);
            output.WriteLine($"test negative ELBO {m.Loss:G6} (reconstruction {m.Reconstruction:G6}, KL {m.Kl:G4}, beta {cfg.Beta}) "
                + $"over {data.Test.Count} examples");
            if (result.TryGetValue("reconstruction_rms_mV", out var rms))
                output.WriteLine($"reconstruction error {rms:G4} mV RMS: subthreshold {result["reconstruction_subthreshold_rms_mV"]:G4}, "
                    + $"spikes {result["reconstruction_spike_rms_mV"]:G4}");
            output.WriteLine($"KL per latent dimension: {string.Join(", ", m.KlPerDimension.Select(k => k.ToString("G3")))}");
            output.WriteLine($"wrote {path} and {string.Join(", ", figures.Select(f => f.File))} in {folder.FigureDir}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
