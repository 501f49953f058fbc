using System.CommandLine;
using Vae.Host.Cli;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments.Reproduce;

/// <summary>
/// <c>reproduce list</c>: the selected configs (of one shard with <c>--shard i/n</c>) one per line for programs;
/// what happens before (the data being made) goes to the error stream. Trains nothing.
/// </summary>
public static class ReproduceList
{
    /// <summary>The <c>list</c> subcommand.</summary>
    public static Command Create()
    {
        var experiment = new ExperimentOptions();
        var shard = new Option<string?>("--shard")
        {
            Description = "i/n: only part i of n of the selected configs, as reproduce shard i/n trains it.",
        };
        var cmd = new Command("list", "Print the selected configs one per line, tab-separated: name, sweep, estimated seconds left, state (new, "
            + "partial, complete); train nothing.");
        experiment.AddTo(cmd);
        cmd.Options.Add(shard);
        cmd.SetCancellableAction((parse, cancel) =>
        {
            var part = parse.GetValue(shard) is string text ? Shard.Parse(text, "--shard") : null;
            Action<string> log = parse.InvocationConfiguration.Error.WriteLine;
            var x = experiment.Open(parse, null, log, cancel);
            var plan = x.Plan(storeTimes: part is not null, log);
            DryRun.List(part is null ? plan : SweepPlan.ShardOf(plan, part), parse.InvocationConfiguration.Output);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
