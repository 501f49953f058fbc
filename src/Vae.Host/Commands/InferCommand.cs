using System.CommandLine;
using System.Globalization;
using System.Text;
using PureHDF;
using Vae.Host.Cli;
using Vae.Reports.Inference;
using Vae.Runs;
using Vae.Runs.Data;
using Vae.Runs.Inference;
using Vae.Runs.Persistence;
using Vae.Runs.Settings;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Host.Commands;

/// <summary>
/// `infer &lt;estimator&gt; --observation F`: posterior samples of (gK, gNa) for a recorded trace, with a pair plot, traces
/// simulated from the posterior over the observation, and each parameter's mean, median and 90 % credible interval.
/// </summary>
public static class InferCommand
{
    /// <summary>The `infer` command, with `infer fit` under it.</summary>
    public static Command Create()
    {
        var estimator = new Argument<string>("estimator") { Description = "Folder of an estimator written by `infer fit`." };
        var observation = new Option<string>("--observation")
        {
            Description = "The trace in mV on the protocol's grid: a CSV (V_mV column, optional t_ms) or a dataset file of `simulate`.",
            Required = true,
        };
        var trace = NumericOption.Optional("--trace", SettingRanges.TraceIndex, "Which trace of a dataset file (0-based).");
        var samples = NumericOption.WithDefault("--samples", SettingRanges.Samples, 10_000, "Posterior samples to draw.");
        var outDir = new Option<string?>("--out") { Description = "Folder to write (default: <estimator>/posterior-<observation>)." };
        var force = new Option<bool>("--force") { Description = "Replace the files of an earlier posterior in that folder." };
        var cmd = new Command("infer", "Posterior of gK and gNa for an observed trace, from an estimator of `infer fit`.");
        cmd.Arguments.Add(estimator);
        foreach (var o in new Option[] { observation, trace, samples, outDir, force })
            cmd.Options.Add(o);
        cmd.Subcommands.Add(InferFitCommand.Create());
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var folder = new EstimatorFolder(parse.GetValue(estimator)!);
            var record = folder.Record();
            if (!folder.Finished)
                throw new UserInputException($"the fit in {folder.Root} has not finished", new Remedy.Act("finish it with `infer fit --resume`"));
            var index = parse.GetValue(trace);
            var obs = Observation.Read(parse.GetValue(observation)!, HhProtocol.FromName(record.Protocol), index);
            var name = Path.GetFileNameWithoutExtension(parse.GetValue(observation)!) + (index is { } i ? $"-trace{i}" : "");
            var target = Path.GetFullPath(parse.GetValue(outDir) ?? Path.Combine(folder.Root, $"posterior-{name}"));
            var (h5, csv, pair, predictive) = (Path.Combine(target, "posterior.h5"), Path.Combine(target, "posterior.csv"),
                Path.Combine(target, "pair.png"), Path.Combine(target, "predictive.png"));
            OutputGuard.RefuseExisting(parse.GetValue(force), h5, csv, pair, predictive);
            Vae.Model.NativeSetup.configure(HostOptions.ThreadsValue((int?)null));
            var posterior = InferApply.Run(folder, record, obs, parse.GetValue(samples), Latent(record));

            // Everything is computed; now the files, each atomically.
            AtomicFile.WriteAllBytes(pair, PosteriorFigures.PairPlot(obs.Source, record.Parameters, posterior.Samples,
                [.. record.Prior.Select(b => (b[0], b[1]))], obs.Truth), createFolder: true);
            AtomicFile.WriteAllBytes(predictive, PosteriorFigures.Predictive(
                $"{obs.Source} and {posterior.Predictive.Length} traces simulated from its posterior",
                posterior.TimeMs, obs.Millivolts, posterior.Predictive));
            AtomicFile.WriteAllText(csv, Csv(record.Parameters, posterior.Samples));
            var file = new H5File
            {
                ["samples"] = new H5Dataset(Interleave(posterior.Samples),
                    fileDims: [(ulong)posterior.Samples[0].Length, (ulong)posterior.Samples.Length]),
                ["predictive_mV"] = new H5Dataset(posterior.Predictive.SelectMany(v => v).ToArray(),
                    fileDims: [(ulong)posterior.Predictive.Length, (ulong)posterior.TimeMs.Length]),
                ["time"] = posterior.TimeMs,
            };
            file.Attributes["parameters"] = string.Join(",", record.Parameters);
            file.Attributes["observation"] = obs.Source;
            file.Attributes["estimator"] = folder.Root;
            file.Attributes["acceptance"] = posterior.Acceptance;
            if (obs.Truth is { } truth)
                file.Attributes["true_parameters"] = truth;
            AtomicFile.Write(h5, temp => file.Write(temp));
            foreach (var (s, j) in posterior.Summary.Select((s, j) => (s, j)))
                output.WriteLine(FormattableString.Invariant(
                    $"{s.Parameter}: mean {s.Mean:F3}, median {s.Median:F3}, 90 % credible interval {s.Low:F3} .. {s.High:F3}")
                    + (obs.Truth is { } t ? FormattableString.Invariant($" (true {t[j]:F3})") : ""));
            output.WriteLine(FormattableString.Invariant(
                $"{posterior.Samples[0].Length} samples ({100 * posterior.Acceptance:F1} % of the draws inside the prior); wrote {target}"));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    // The run's encoder for an estimator of the latent means (its run folder must still hold the model).
    private static LatentMap? Latent(EstimatorRecord record)
    {
        if (!record.Representation.NeedsRun)
            return null;
        var folder = RunFolder.Open(record.Run ?? throw new InvalidDataException("an estimator of the latent means names no run"));
        var cfg = RunManifest.Read(folder);
        var recorded = RunManifest.ReadData(folder);
        var protocol = HhProtocol.FromName(record.Protocol);
        if (recorded.Scaling is null && protocol.ScalingWindowMs != protocol.RecordingMs)
            throw new UserInputException($"run {folder.Root} scales each trace over {protocol.ScalingWindowMs} ms, an observation holds "
                + $"{protocol.RecordingMs} ms", new Remedy.Act("use an estimator of features, or a run with --scaling dataset"));
        var model = RunArgument.Model(cfg, folder, DataKind.Traces, protocol.SampleCount);
        return new LatentMap(model, recorded.Scaling);
    }

    private static double[] Interleave(double[][] columns) =>
        [.. Enumerable.Range(0, columns[0].Length).SelectMany(i => columns.Select(c => c[i]))];

    private static string Csv(string[] names, double[][] columns)
    {
        var sb = new StringBuilder(string.Join(",", names.Select(n => n.Split(' ')[0])) + "\n");
        for (var i = 0; i < columns[0].Length; i++)
            sb.Append(string.Join(",", columns.Select(c => c[i].ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return sb.ToString();
    }
}
