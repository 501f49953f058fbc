using System.CommandLine;
using Vae.Host.Cli;
using Vae.Runs.Settings;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments.Reproduce;

/// <summary>
/// <c>reproduce run</c>, also plain <c>reproduce</c>: trains the selected configs, in this process or in
/// <c>--workers n</c> processes side by side (each <c>reproduce shard i/n</c>), then writes the report.
/// </summary>
public static class ReproduceRun
{
    /// <summary>The <c>run</c> subcommand.</summary>
    public static Command Create()
    {
        var cmd = new Command("run", "Train the selected configs (skipping complete ones, resuming interrupted ones), then write the results, "
            + "figures and report. The default of reproduce.");
        Configure(cmd);
        return cmd;
    }

    /// <summary>Gives <paramref name="cmd"/> the options and action of <c>run</c> (also those of <c>reproduce</c> itself).</summary>
    public static void Configure(Command cmd)
    {
        var experiment = new ExperimentOptions();
        var training = new TrainingOptions();
        var workers = NumericOption.Optional("--workers", SettingRanges.Workers, "Train in n processes side by side on this machine, "
            + "each its part of the configs (reproduce shard i/n) with --threads threads (default: the cores shared out), then write the report.");
        experiment.AddTo(cmd);
        training.AddTo(cmd);
        cmd.Options.Add(workers);
        cmd.SetCancellableAction((parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var count = parse.GetValue(workers);
            var x = experiment.Open(parse, count, output.WriteLine, cancel);
            SweepOutcome outcome;
            if (count is int n)
            {
                var shards = SweepPlan.Shards(x.Plan(storeTimes: true, output.WriteLine), n);
                DryRun.PrintWorkers(shards, x.Threads, output);
                string[] options = [.. x.Options(), .. x.Selection(), .. training.Quiet(parse) ? ["--quiet"] : Array.Empty<string>()];
                outcome = SweepWorkers.TrainShards(shards, options, x.Threads, output, parse.InvocationConfiguration.Error, cancel);
            }
            else
            {
                x.CheckFolder();
                outcome = training.Train(x, x.Entries, parse, cancel);
            }
            return x.Finish(outcome, training.NoReport(parse), output);
        });
    }
}
