using System.CommandLine;
using System.Globalization;
using Vae.Host.Cli;
using Vae.Simulation.Datasets;
using Vae.Simulation.Storage;

namespace Vae.Host.Commands;

/// <summary>`simulate merge`: join the files of `simulate --shard i/n` into the file one process would have written.</summary>
public static class SimulateMergeCommand
{
    /// <summary>The `merge` subcommand of `simulate`.</summary>
    public static Command Create()
    {
        var shards = new Argument<string[]>("shards") { Description = "The shard files, in any order: every shard of one `simulate --shard i/n` run exactly once.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "HDF5 file to write; must not exist.", Required = true };
        var cmd = new Command("merge", "Join the shard files of `simulate --shard i/n` into one dataset file, identical to the one a single `simulate` writes.");
        cmd.Arguments.Add(shards);
        cmd.Options.Add(output);
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(output)!;
            var summary = HhShardMerge.Merge(parse.GetValue(shards)!, path);
            parse.InvocationConfiguration.Output.WriteLine($"merged {summary.Shards} shards into {path} ({new FileInfo(path).Length / 1e6:F1} MB): "
                + $"{summary.Traces} traces, {summary.TrainCount} train, {summary.Traces - summary.TrainCount} test, {summary.SampleCount} samples per trace");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>`--shard i/n` of a dataset of <paramref name="total"/> traces; anything else is a one-line input error.</summary>
    public static DatasetShard ParseShard(string text, int total)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && i >= 1 && i <= n)
        {
            var shard = new DatasetShard(i, n, total);
            shard.Validate();
            return shard;
        }
        throw new UserInputException($"--shard takes i/n with 1 <= i <= n (e.g. 2/4), got '{text}'.");
    }
}
