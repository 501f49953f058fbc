using Vae.Host.Running;
using Vae.Runs.Settings;
using Vae.Runs;
using System.CommandLine;
using System.Globalization;
using Vae.Host.Cli;
using Vae.Runs.Data;
using HhFile = Vae.Simulation.Storage.HhFile;
using Vae.Host.Experiments;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Model;

namespace Vae.Host.Commands;

/// <summary>
/// `reproduce`: the original study's sweeps, each config a normal run folder under one experiment folder;
/// complete configs are skipped, interrupted ones resumed; the results and analysis tables (CSV and Markdown) after
/// each config; finished configs without an analysis are analyzed when the report is written.
/// </summary>
public static class ReproduceCommand
{
    /// <summary>The `reproduce` command.</summary>
    public static Command Create()
    {
        var outDir = new Option<string?>("--out") { Description = "Experiment folder (default: experiments/paper-<protocol>)." };
        var only = new Option<string?>("--only") { Description = $"Comma-separated sweeps ({string.Join(", ", PaperSweeps.Names)}) or config names to run." };
        var epochs = NumericOption.Optional("--epochs", SettingRanges.Epochs, "Epochs of every config instead of the original's 100 (a quick version of everything).");
        var dryRun = new Option<bool>("--dry-run") { Description = "List the configs, their state and the estimated time from a measured step time; train nothing." };
        var reportOnly = new Option<bool>("--report-only") { Description = "Write the results and analysis tables, figures and report from the runs as they stand (e.g. while a sweep trains elsewhere), analyzing finished configs that have no analysis yet; train nothing." };
        var protocol = NamedOption.Create("--protocol", $"HH data: {HhDataProtocol.Report} (10,000 traces of the report's protocol) or {HhDataProtocol.SeedCode} (the original's conductance draws and split, as its code simulated).", HhDataProtocol.Report);
        var seedParams = new Option<string>("--seed-params") { Description = "The original's conductance draws, for --protocol seed-code (default: the copy shipped with the host).", DefaultValueFactory = _ => SeedParameters.DefaultPath };
        var hhCount = NumericOption.WithDefault("--hh-count", SettingRanges.TrainingTraces, 10_000, "Traces of the report-protocol HH dataset.");
        var threads = HostOptions.Threads();
        var dataDir = HostOptions.DataDir();
        var mnistDir = HostOptions.MnistDir();
        var quiet = new Option<bool>("--quiet") { Description = "Print one line per config only." };
        var shard = new Option<string?>("--shard") { Description = "i/n: train only part i of n of the selected configs (balanced by estimated time; every config in exactly one part). With --slurm: n, one array task per part." };
        var list = new Option<bool>("--list") { Description = "Print the selected configs one per line, tab-separated: name, sweep, estimated seconds left, state (new, partial, complete); train nothing." };
        var noReport = new Option<bool>("--no-report") { Description = "Update the results and analysis tables but leave the figures and report to a later --report-only (array tasks)." };
        var slurm = new Option<bool>("--slurm") { Description = "Write a Slurm job-array script into the experiment folder (one task per config, or per shard with --shard n) and print the sbatch line; train nothing." };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition of the jobs (with --slurm)." };
        var cpus = NumericOption.Optional("--cpus-per-task", SettingRanges.Threads, "CPUs (and libtorch threads) of each Slurm task (with --slurm; default 2).");
        var workers = NumericOption.Optional("--workers", SettingRanges.Workers, "Train in n processes side by side on this machine, each its part of the configs (as --shard i/n) with --threads threads (default: the cores shared out), then write the report. With --dry-run: the split and its estimate.");
        var timeFactor = NumericOption.Optional("--time-factor", SettingRanges.TimeFactor, "Slurm time limit as the longest task's estimated training time times this (with --slurm; default 2).");
        var cmd = new Command("reproduce", "Run the original study's sweeps (docs/science.md section 5) with its settings; skip complete configs, resume interrupted ones; write a results table. Safe to run in several processes on one folder.");
        foreach (var o in new Option[] { outDir, only, epochs, dryRun, reportOnly, protocol, seedParams, hhCount, threads, dataDir, mnistDir, quiet, shard, list, noReport, slurm, partition, cpus, timeFactor, workers })
            cmd.Options.Add(o);
        cmd.Validators.Add(r =>
        {
            bool Has(Option o) => r.GetResult(o) is { Implicit: false };
            foreach (var o in new Option[] { partition, cpus, timeFactor })
                if (Has(o) && !r.GetValue(slurm))
                    r.AddError($"{o.Name} is an option of --slurm; add --slurm or leave it out.");
            var modes = new[] { dryRun, list, reportOnly, slurm }.Where(o => r.GetValue(o)).Select(o => o.Name).ToList();
            if (modes.Count > 1)
                r.AddError($"{string.Join(" and ", modes)} exclude each other; pass one.");
            if (r.GetValue(reportOnly) && (Has(shard) || r.GetValue(noReport)))
                r.AddError("--report-only draws the whole experiment: leave out --shard and --no-report.");
            var notWithWorkers = new Option[] { shard, slurm, list, reportOnly }.Where(Has).Select(o => o.Name).ToList();
            if (Has(workers) && notWithWorkers.Count > 0)
                r.AddError($"--workers starts its own shards on this machine: leave out {string.Join(" and ", notWithWorkers)}.");
        });
        cmd.SetCancellableAction((parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var proto = parse.GetValue(protocol)!;
            var folder = new ExperimentFolder(parse.GetValue(outDir) ?? Path.Combine("experiments", $"paper-{proto}"));
            var isSlurm = parse.GetValue(slurm);
            var shardText = parse.GetValue(shard);
            var part = shardText is null || isSlurm ? null : Shard.Parse(shardText);
            int? shardCount = isSlurm && shardText is not null ? ShardCount(shardText) : null;
            var dataRoot = DataDirs.Resolve(parse.GetValue(dataDir));
            var workerCount = parse.GetValue(workers);
            // With workers, --threads is each worker's; this process measures step times as a worker would run.
            var n = NativeSetup.configure(HostOptions.ThreadsValue(
                workerCount is int w0 ? SideBySide.ThreadsEach(w0, parse.GetValue(threads)) : parse.GetValue(threads)));
            if (workerCount is int w2)
                SideBySide.WarnIfOversubscribed(w2, n, parse.InvocationConfiguration.Error);
            var seedCsv = Path.GetFullPath(parse.GetValue(seedParams)!);
            // The list is for programs: what happens before it goes to the error stream.
            Action<string> log = parse.GetValue(list) ? parse.InvocationConfiguration.Error.WriteLine : output.WriteLine;
            // --only is checked before the data is made, so a misspelt name leaves nothing in the cache.
            Select(PaperSweeps.All("", parse.GetValue(epochs)), parse.GetValue(only));
            var hhData = proto == HhDataProtocol.SeedCode
                ? HhCache.EnsureFromParameters(dataRoot, proto.Text, seedCsv, n * (workerCount ?? 1), log, cancel)
                : HhCache.Ensure(dataRoot, proto.Text, 0, parse.GetValue(hhCount), n * (workerCount ?? 1), log, cancel);
            var all = PaperSweeps.All(hhData, parse.GetValue(epochs));
            var entries = Select(all, parse.GetValue(only));
            // The experiment's options as other processes of this product take them (Slurm tasks, workers).
            string[] ExperimentOptions() =>
                ["--out", folder.Root, "--protocol", proto.Text, "--data-dir", dataRoot,
                 .. proto == HhDataProtocol.SeedCode ? ["--seed-params", seedCsv] : new[] { "--hh-count", parse.GetValue(hhCount).ToString(CultureInfo.InvariantCulture) },
                 .. parse.GetValue(epochs) is int ep ? ["--epochs", ep.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
                 .. parse.GetValue(mnistDir) is string md ? ["--mnist-dir", Path.GetFullPath(md)] : Array.Empty<string>(),
                 .. parse.GetValue(quiet) ? ["--quiet"] : Array.Empty<string>()];
            SweepOutcome? workersOutcome = null;
            if (parse.GetValue(list) || parse.GetValue(dryRun) || part is not null || isSlurm || workerCount is not null)
            {
                // Shards must come out alike in every process: their step times are stored in the folder.
                var sharded = part is not null || isSlurm || workerCount is not null && !parse.GetValue(dryRun);
                var times = StepTimes.For(entries, folder, store: sharded, log);
                var plan = SweepPlan.Of(entries, folder, HhFile.TrainCount(hhData), times);
                if (part is not null)
                    plan = SweepPlan.ShardOf(plan, part);
                if (parse.GetValue(list))
                {
                    DryRun.List(plan, output);
                    return ExitCodes.Ok;
                }
                var workerPlans = workerCount is int w1 ? SweepPlan.Shards(plan, w1) : [];
                if (parse.GetValue(dryRun))
                {
                    DryRun.Print(plan, folder.Root, output);
                    if (workerCount is not null)
                        DryRun.PrintWorkers(workerPlans, n, output);
                    return ExitCodes.Ok;
                }
                if (isSlurm)
                {
                    var res = new SlurmResources(parse.GetValue(partition), parse.GetValue(cpus) ?? 2, parse.GetValue(timeFactor) ?? 2, shardCount);
                    var submit = SlurmScript.Write(folder, plan, ExperimentOptions(), parse.GetValue(only), res);
                    output.WriteLine($"wrote {folder.ArrayScript} and {folder.ReportScript}; submit from a login node with:");
                    output.WriteLine(submit);
                    return ExitCodes.Ok;
                }
                if (workerCount is not null)
                {
                    DryRun.PrintWorkers(workerPlans, n, output);
                    string[] selection = parse.GetValue(only) is string o ? ["--only", o] : [];
                    workersOutcome = SweepWorkers.TrainShards(workerPlans, [.. ExperimentOptions(), .. selection], n, output, parse.InvocationConfiguration.Error, cancel);
                }
                else
                {
                    entries = plan.Select(c => c.Entry).ToList();
                    output.WriteLine($"shard {part!.Index}/{part.Count}: {string.Join(", ", entries.Select(e => e.Name))}");
                }
            }
            else
                foreach (var e in entries)
                    ExperimentState.Of(folder.RunOf(e.Name), e.Config); // a folder of other settings is refused before any work

            if (parse.GetValue(reportOnly) && !Directory.Exists(folder.Root))
                throw new UserInputException($"{folder.Root} holds no experiment yet; run reproduce without --report-only first.");
            Directory.CreateDirectory(folder.Root);
            var launch = LaunchDisplay.On(new LaunchOptions(dataRoot, parse.GetValue(mnistDir), parse.GetValue(threads), null, Force: false) { Cancel = cancel },
                output, parse.GetValue(quiet), analyze: true);
            var outcome = parse.GetValue(reportOnly) ? new SweepOutcome(0, 0)
                : workersOutcome ?? SweepTraining.TrainAll(entries, folder, all, launch, output, parse.InvocationConfiguration.Error);
            if (parse.GetValue(noReport))
                SweepTraining.WriteResults(folder, all, output.WriteLine);
            else
                using (FileLock.Acquire(folder.SharedFilesLock, output.WriteLine))
                    ExperimentReport.Write(folder, all, dataRoot, parse.GetValue(mnistDir), n, output.WriteLine);
            if (outcome.Busy > 0)
                output.WriteLine($"{outcome.Busy} configs are being trained by other processes; run reproduce --report-only once they finish.");
            output.WriteLine(parse.GetValue(noReport)
                ? $"results: {folder.ResultsMarkdown}, results.csv, {Path.GetFileName(folder.AnalysisMarkdown)} and {Path.GetFileName(folder.AnalysisCsv)} (figures and report: reproduce --report-only)"
                : $"results: {folder.ResultsMarkdown}, results.csv, {Path.GetFileName(folder.AnalysisMarkdown)}, {Path.GetFileName(folder.AnalysisCsv)}, figures/ and report.html");
            return outcome.Failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return cmd;
    }

    // --shard with --slurm: the number of shards, one array task each.
    private static int ShardCount(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new UserInputException($"with --slurm, --shard takes the number of shards (one array task each, e.g. --shard 4), got '{text}'.");

    /// <summary>The entries named by <paramref name="only"/> (sweeps or config names), or all.</summary>
    public static List<SweepEntry> Select(IReadOnlyList<SweepEntry> all, string? only)
    {
        if (only is null)
            return [.. all];
        var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (wanted.Length == 0)
            throw new UserInputException($"--only names no sweep or config; give some of {string.Join(", ", PaperSweeps.Names)} or config names, or leave it out to run all.");
        var unknown = wanted.Where(w => !all.Any(e => e.Sweep == w || e.Name == w)).ToList();
        if (unknown.Count > 0)
            throw new UserInputException($"--only: no sweep or config named {string.Join(", ", unknown)}; sweeps are {string.Join(", ", PaperSweeps.Names)}, configs look like {all[0].Name}.");
        return all.Where(e => wanted.Contains(e.Sweep) || wanted.Contains(e.Name)).ToList();
    }
}
