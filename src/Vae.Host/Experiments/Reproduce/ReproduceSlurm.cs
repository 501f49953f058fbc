using System.CommandLine;
using Vae.Host.Cli;
using Vae.Runs.Settings;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments.Reproduce;

/// <summary>
/// <c>reproduce slurm</c>: writes the experiment's Slurm job array (one task per config, or per shard with
/// <c>--shards n</c>) and the report job into the experiment folder and prints the <c>sbatch</c> line; trains nothing.
/// </summary>
public static class ReproduceSlurm
{
    // An array of more tasks than configs leaves the rest empty; the bound only keeps the number sane.
    private static readonly NumericRange<int> ShardCount = new(1, 10_000);

    /// <summary>The <c>slurm</c> subcommand.</summary>
    public static Command Create()
    {
        var experiment = new ExperimentOptions();
        var shards = NumericOption.Optional("--shards", ShardCount, "One array task per part of n of the configs (balanced by estimated time; "
            + "each task runs reproduce shard i/n) instead of one per config.");
        var partition = new Option<string?>("--partition") { Description = "Slurm partition of the jobs (default: the cluster's)." };
        var cpus = NumericOption.Optional("--cpus-per-task", SettingRanges.Threads, "CPUs (and libtorch threads) of each Slurm task (default 2).");
        var timeFactor = NumericOption.Optional("--time-factor", SettingRanges.TimeFactor, "Slurm time limit as the longest task's estimated "
            + "training time times this (default 2).");
        var quiet = new Option<bool>("--quiet") { Description = "Array tasks print one line per config only." };
        var cmd = new Command("slurm", "Write a Slurm job array (one task per config, or per shard with --shards n) and its report job into the "
            + "experiment folder and print the sbatch line; train nothing.");
        experiment.AddTo(cmd);
        foreach (var o in new Option[] { shards, partition, cpus, timeFactor, quiet })
            cmd.Options.Add(o);
        cmd.SetCancellableAction((parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var x = experiment.Open(parse, null, output.WriteLine, cancel);
            // Shard tasks split as this process does: the step times are stored in the folder.
            var plan = x.Plan(storeTimes: true, output.WriteLine);
            var res = new SlurmResources(parse.GetValue(partition), parse.GetValue(cpus) ?? 2, parse.GetValue(timeFactor) ?? 2,
                parse.GetValue(shards));
            var submit = SlurmScript.Write(x.Folder, plan, x.Options(), parse.GetValue(quiet) ? ["--quiet"] : [], x.Only, res);
            output.WriteLine($"wrote {x.Folder.ArrayScript} and {x.Folder.ReportScript}; submit from a login node with:");
            output.WriteLine(submit);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
