using System.CommandLine;
using Vae.Host.Cli;
using Vae.Runs.Settings;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments.Reproduce;

/// <summary>
/// <c>reproduce plan</c>: the selected configs with their states and an estimate from measured step times, and
/// with <c>--workers n</c> the split of <c>reproduce run --workers n</c> and its estimate; trains nothing.
/// </summary>
public static class ReproducePlan
{
    /// <summary>The <c>plan</c> subcommand.</summary>
    public static Command Create()
    {
        var experiment = new ExperimentOptions();
        var workers = NumericOption.Optional("--workers", SettingRanges.Workers, "The split of reproduce run --workers n and its estimate (the "
            + "longest worker), each worker with --threads threads (default: the cores shared out).");
        var cmd = new Command("plan",
            "List the selected configs, their state and the estimated training time from a measured step time; train nothing.");
        experiment.AddTo(cmd);
        cmd.Options.Add(workers);
        cmd.SetCancellableAction((parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var count = parse.GetValue(workers);
            var x = experiment.Open(parse, count, output.WriteLine, cancel);
            var plan = x.Plan(storeTimes: false, output.WriteLine);
            DryRun.Print(plan, x.Folder.Root, output);
            if (count is int n)
                DryRun.PrintWorkers(SweepPlan.Shards(plan, n), x.Threads, output);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
