using System.CommandLine;
using Vae.Host.Cli;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments.Reproduce;

/// <summary>
/// <c>reproduce shard i/n</c>: trains part i of n of the selected configs (balanced by estimated time, the same
/// split in every process), as a Slurm array task or a worker of <c>reproduce run --workers n</c> does.
/// </summary>
public static class ReproduceShard
{
    /// <summary>The <c>shard</c> subcommand.</summary>
    public static Command Create()
    {
        var part = new Argument<string>("i/n") { Description = "The part to train, 1 <= i <= n (e.g. 2/4); every config falls in exactly one part." };
        var experiment = new ExperimentOptions();
        var training = new TrainingOptions();
        var cmd = new Command("shard",
            "Train part i of n of the selected configs (balanced by estimated time; every config in exactly one part), then write the results.");
        cmd.Arguments.Add(part);
        experiment.AddTo(cmd);
        training.AddTo(cmd);
        cmd.SetCancellableAction((parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var shard = Shard.Parse(parse.GetValue(part)!, "reproduce shard");
            var x = experiment.Open(parse, null, output.WriteLine, cancel);
            // Shards must come out alike in every process: their step times are stored in the folder.
            var entries = SweepPlan.ShardOf(x.Plan(storeTimes: true, output.WriteLine), shard).Select(c => c.Entry).ToList();
            output.WriteLine($"shard {shard.Index}/{shard.Count}: {string.Join(", ", entries.Select(e => e.Name))}");
            return x.Finish(training.Train(x, entries, parse, cancel), training.NoReport(parse), output);
        });
        return cmd;
    }
}
