using System.CommandLine;
using Vae.Host.Cli;
using Vae.Host.Data;
using HhFile = Vae.Simulation.Storage.HhFile;
using Vae.Host.Experiments;
using Vae.Host.Models;
using Vae.Host.Persistence;
using Vae.Host.Training;
using Vae.Model;

namespace Vae.Host.Commands;

/// <summary>
/// `reproduce`: the original study's sweeps, each config a normal run folder under one experiment folder;
/// complete configs are skipped, interrupted ones resumed; a results table (CSV and Markdown) after each config.
/// </summary>
public static class ReproduceCommand
{
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
        var seedParams = new Option<string>("--seed-params") { Description = "The original's conductance draws, for --protocol seed-code (default: the copy shipped with the host).", DefaultValueFactory = _ => SeedParameters.DefaultPath };
        var hhCount = new Option<int>("--hh-count") { Description = "Traces of the report-protocol HH dataset.", DefaultValueFactory = _ => 10_000 };
        hhCount.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 2) r.AddError("--hh-count must be at least 2."); });
        var threads = HostOptions.Threads();
        var dataDir = HostOptions.DataDir();
        var mnistDir = HostOptions.MnistDir();
        var quiet = new Option<bool>("--quiet") { Description = "Print one line per config only." };
        var cmd = new Command("reproduce", "Run the original study's sweeps (docs/science.md section 5) with its settings; skip complete configs, resume interrupted ones; write a results table.");
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
            {
                DryRun.Print(entries, states, root, HhFile.TrainCount(hhData), output);
                return ExitCodes.Ok;
            }

            if (parse.GetValue(reportOnly) && !Directory.Exists(root))
                throw new UserInputException($"{root} holds no experiment yet; run reproduce without --report-only first.");
            Directory.CreateDirectory(root);
            var options = new LaunchOptions(dataRoot, parse.GetValue(mnistDir), parse.GetValue(threads), parse.GetValue(quiet), null, Force: false);
            var failures = parse.GetValue(reportOnly) ? 0 : SweepTraining.TrainAll(entries, states, root, all, options, output, parse.InvocationConfiguration.Error);
            ResultsTable.Write(root, all);
            ExperimentReport.Write(root, all, dataRoot, parse.GetValue(mnistDir), n);
            output.WriteLine($"results: {Path.Combine(root, "results.md")}, results.csv, figures/ and report.html");
            return failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return cmd;
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
}
