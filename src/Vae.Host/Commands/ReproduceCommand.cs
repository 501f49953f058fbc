using System.CommandLine;
using Vae.Host.Cli;
using Vae.Host.Data;
using Vae.Host.Experiments;
using Vae.Host.Runs;
using Vae.Model;

namespace Vae.Host.Commands;

/// <summary>
/// `reproduce`: the original study's sweeps, each config a normal run folder under one experiment folder;
/// complete configs are skipped, interrupted ones resumed; a results table (CSV and Markdown) after each config.
/// </summary>
public static class ReproduceCommand
{
    // Training images of digits 0-3 in the standard MNIST split (for estimates before the data is loaded).
    private const int MnistTrainImages = 24_754;

    /// <summary>The `reproduce` command.</summary>
    public static Command Create()
    {
        var outDir = new Option<string?>("--out") { Description = "Experiment folder (default: experiments/paper-<protocol>)." };
        var only = new Option<string?>("--only") { Description = $"Comma-separated sweeps ({string.Join(", ", PaperSweeps.Names)}) or config names to run." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs of every config instead of the original's 100 (a quick version of everything)." };
        epochs.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--epochs must be at least 1."); });
        var dryRun = new Option<bool>("--dry-run") { Description = "List the configs, their state and the estimated time from a measured step time; train nothing." };
        var reportOnly = new Option<bool>("--report-only") { Description = "Write the results table, figures and report from the runs as they stand (e.g. while a sweep trains elsewhere); train nothing." };
        var protocol = new Option<string>("--protocol") { Description = "HH data: report (10,000 traces of the report's protocol) or seed-code (the original's conductance draws and split, as its code simulated).", DefaultValueFactory = _ => "report" };
        protocol.AcceptOnlyFromAmong("report", "seed-code");
        var seedParams = new Option<string>("--seed-params") { Description = "The original's conductance draws, for --protocol seed-code.", DefaultValueFactory = _ => Path.Combine("..", "shared", "data", "seed-hh-parameters.csv") };
        var hhCount = new Option<int>("--hh-count") { Description = "Traces of the report-protocol HH dataset.", DefaultValueFactory = _ => 10_000 };
        hhCount.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 2) r.AddError("--hh-count must be at least 2."); });
        var threads = HostOptions.Threads();
        var dataDir = HostOptions.DataDir();
        var mnistDir = HostOptions.MnistDir();
        var quiet = new Option<bool>("--quiet") { Description = "Print one line per config only." };
        var cmd = new Command("reproduce", "Run the original study's sweeps (SPEC section 5) with its settings; skip complete configs, resume interrupted ones; write a results table.");
        foreach (var o in new Option[] { outDir, only, epochs, dryRun, reportOnly, protocol, seedParams, hhCount, threads, dataDir, mnistDir, quiet })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var proto = parse.GetValue(protocol)!;
            var root = Path.GetFullPath(parse.GetValue(outDir) ?? Path.Combine("experiments", $"paper-{proto}"));
            var dataRoot = DataDirs.Resolve(parse.GetValue(dataDir));
            var n = NativeSetup.setThreads(HostOptions.ThreadsValue(parse, threads));
            var hhData = proto == "seed-code"
                ? HhCache.EnsureFromParameters(dataRoot, "seed-code", parse.GetValue(seedParams)!, n, output.WriteLine)
                : HhCache.Ensure(dataRoot, "report", 0, parse.GetValue(hhCount), n, output.WriteLine);
            var all = PaperSweeps.All(hhData, parse.GetValue(epochs));
            var entries = Select(all, parse.GetValue(only));
            var states = entries.Select(e => ExperimentState.Of(Path.Combine(root, e.Name), e.Config)).ToList();
            if (parse.GetValue(dryRun))
                return DryRun(entries, states, root, HhFile.TrainCount(hhData), output);

            if (parse.GetValue(reportOnly) && !Directory.Exists(root))
                throw new UserInputException($"{root} holds no experiment yet; run reproduce without --report-only first.");
            Directory.CreateDirectory(root);
            var options = new LaunchOptions(dataRoot, parse.GetValue(mnistDir), parse.GetValue(threads), parse.GetValue(quiet), null, Force: false);
            var failures = parse.GetValue(reportOnly) ? 0 : TrainAll(entries, states, root, all, options, output, parse.InvocationConfiguration.Error);
            WriteResults(root, all);
            ExperimentReport.Write(root, all, dataRoot, parse.GetValue(mnistDir), n);
            output.WriteLine($"results: {Path.Combine(root, "results.md")}, results.csv, figures/ and report.html");
            return failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return cmd;
    }

    // Trains the entries in turn (complete ones skipped, partial ones resumed), updating the results table after
    // each; returns how many stopped on a non-finite loss.
    private static int TrainAll(List<SweepEntry> entries, List<EntryState> states, string root, IReadOnlyList<SweepEntry> all,
        LaunchOptions options, TextWriter output, TextWriter error)
    {
        var failures = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var (e, folder) = (entries[i], Path.Combine(root, entries[i].Name));
            if (states[i] == EntryState.Complete)
            {
                output.WriteLine($"[{i + 1}/{entries.Count}] {e.Name}: complete, skipped");
                continue;
            }
            output.WriteLine($"[{i + 1}/{entries.Count}] {e.Name}: {(states[i] == EntryState.Partial ? "resuming" : "starting")}");
            try
            {
                RunLauncher.Launch(e.Config, states[i] == EntryState.Partial ? RunFolder.Open(folder) : null, folder, options, output);
            }
            catch (NonFiniteLossException ex)
            {
                error.WriteLine($"error: {e.Name}: {ex.Message}");
                failures++;
            }
            WriteResults(root, all);
        }
        return failures;
    }

    /// <summary>The entries named by <paramref name="only"/> (sweeps or config names), or all.</summary>
    public static List<SweepEntry> Select(IReadOnlyList<SweepEntry> all, string? only)
    {
        if (string.IsNullOrWhiteSpace(only))
            return [.. all];
        var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = wanted.Where(w => !all.Any(e => e.Sweep == w || e.Name == w)).ToList();
        if (unknown.Count > 0)
            throw new UserInputException($"--only: no sweep or config named {string.Join(", ", unknown)}; sweeps are {string.Join(", ", PaperSweeps.Names)}, configs look like {all[0].Name}.");
        return all.Where(e => wanted.Contains(e.Sweep) || wanted.Contains(e.Name)).ToList();
    }

    private static int DryRun(List<SweepEntry> entries, List<EntryState> states, string root, int hhTrain, TextWriter output)
    {
        NativeSetup.initialize();
        NativeSetup.reuseLargeAllocations();
        var stepTimes = new Dictionary<string, double>();
        double total = 0;
        output.WriteLine($"{entries.Count} configs in {root}:");
        for (var i = 0; i < entries.Count; i++)
        {
            var cfg = entries[i].Config;
            var (kind, features, train) = cfg.Dataset == "mnist" ? (DataKind.Images, 784, MnistTrainImages) : (DataKind.Traces, 5000, hhTrain);
            // The latent size hardly changes the step time: one measurement per architecture and batch size.
            var key = $"{cfg.Dataset}/{cfg.Model}/{cfg.BatchSize}";
            if (!stepTimes.TryGetValue(key, out var step))
                stepTimes[key] = step = ModelCatalog.With(cfg, kind, features, new StepTimer(cfg, kind, features, 5));
            var done = ExperimentState.EpochsDone(Path.Combine(root, entries[i].Name));
            var remaining = states[i] == EntryState.Complete ? 0 : (cfg.Epochs - done) * BatchOrder.BatchesPerEpoch(train, cfg.BatchSize) * step;
            total += remaining;
            output.WriteLine($"  {entries[i].Sweep,-13} {entries[i].Name,-28} {states[i],-8} {done}/{cfg.Epochs} epochs, {step * 1000:F0} ms/step, ~{Hours(remaining)}");
        }
        output.WriteLine($"estimated training time left: ~{Hours(total)} (steps only; evaluation adds a little per epoch)");
        return ExitCodes.Ok;
    }

    private static string Hours(double seconds) =>
        seconds < 3600 ? $"{seconds / 60:F0} min" : $"{seconds / 3600:F1} h";

    private static void WriteResults(string root, IReadOnlyList<SweepEntry> all)
    {
        var rows = ResultsTable.Collect(root, all);
        AtomicFile.WriteAllText(Path.Combine(root, "results.csv"), ResultsTable.ToCsv(rows));
        AtomicFile.WriteAllText(Path.Combine(root, "results.md"), ResultsTable.ToMarkdown(rows));
    }
}
