using System.CommandLine;
using Vae.Host.Cli;
using Vae.Simulation.Storage;

namespace Vae.Host.Commands;

/// <summary>`simulate merge`: join the files of `simulate --shard i/n` into the file one process would have written.</summary>
public static class SimulateMergeCommand
{
    /// <summary>The `merge` subcommand of `simulate`.</summary>
    public static Command Create()
    {
        var shards = new Argument<string[]>("shards")
        {
            Description = "The shard files, in any order: every shard of one `simulate --shard i/n` run exactly once.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out") { Description = "HDF5 file to write; must not exist.", Required = true };
        var cmd = new Command("merge",
            "Join the shard files of `simulate --shard i/n` into one dataset file, identical to the one a single `simulate` writes.");
        cmd.Arguments.Add(shards);
        cmd.Options.Add(output);
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(output)!;
            var summary = HhShardMerge.Merge(parse.GetValue(shards)!, path);
            parse.InvocationConfiguration.Output.WriteLine($"merged {summary.Shards} shards into {path} ({new FileInfo(path).Length / 1e6:F1} MB): "
                + $"{summary.Traces} traces, {summary.TrainCount} train, {summary.Traces - summary.TrainCount} test, "
                + $"{summary.SampleCount} samples per trace");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
