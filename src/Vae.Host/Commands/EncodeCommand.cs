using Vae.Runs;
using System.CommandLine;
using PureHDF;
using Vae.Host.Cli;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Simulation.Storage;
using Vae.Runs.Training;
using Vae.Runs.Settings;

namespace Vae.Host.Commands;

/// <summary>
/// `encode &lt;run&gt; --data &lt;file&gt;`: posterior means and log-variances of every example of a dataset, to HDF5,
/// with gK/gNa and the split alongside for HH data (or the digit labels for MNIST test images).
/// </summary>
public static class EncodeCommand
{
    /// <summary>The `encode` command.</summary>
    public static Command Create()
    {
        var run = new RunArgument();
        var dataFile = new Option<string?>("--data")
        {
            Description = "HH dataset (HDF5) to encode; default: the run's own HH dataset, or its MNIST test set.",
        };
        var outPath = new Option<string?>("--out") { Description = "HDF5 file to write (default: <run>/latents.h5)." };
        var force = new Option<bool>("--force") { Description = "Replace an existing output file." };
        var cmd = new Command("encode",
            "Latent means and log-variances of a dataset under a trained run, to HDF5 (/mu, /logvar, and /parameters, /split or /labels).");
        run.AddTo(cmd);
        foreach (var o in new Option[] { dataFile, outPath, force })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var (folder, cfg, threads) = run.Open(parse);
            var path = Path.GetFullPath(parse.GetValue(outPath) ?? Path.Combine(folder.Root, "latents.h5"));
            using var held = RunFolderLock.TakeIfWritingInto(folder, path, output.WriteLine);
            OutputGuard.RefuseExisting(parse.GetValue(force), path);
            var file = new H5File();
            Action<string> log = output.WriteLine;
            if (cfg.Dataset != Dataset.Hh && parse.GetValue(dataFile) is not null)
                throw new UserInputException("--data takes an HH dataset; this run was trained on MNIST (omit --data to encode its test set).");
            // The run's model input: its own data checked against its record, or --data scaled by the run's map.
            using var data = run.Data(parse, folder, cfg, threads, log, parse.GetValue(dataFile));
            var model = RunArgument.Model(cfg, folder, data.Kind, data.Features);
            switch (data)
            {
                case HhTraces traces:
                    // Every trace of the file in file order, both splits.
                    Write(file, model, traces.Traces);
                    var hh = traces.File;
                    file["parameters"] = new H5Dataset(hh.Parameters, fileDims: [(ulong)hh.Count, 2]);
                    file["split"] = hh.Split;
                    file.Attributes["data"] = hh.Path;
                    file.Attributes["scaling"] = traces.Map is { } map
                        ? $"{ScalingMode.Dataset}: mV = x * {map.Scale:R} + {map.Offset:R}"
                        : ScalingMode.Trace.Text;
                    break;
                case MnistImages images:
                    Write(file, model, images.Test);
                    file["labels"] = images.TestLabels;
                    file.Attributes["data"] = images.Identity + " (test split)";
                    break;
            }
            file.Attributes["run"] = folder.Root;
            AtomicFile.Write(path, temp => file.Write(temp), createFolder: true);
            output.WriteLine($"wrote latent means and log-variances to {path}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void Write(H5File file, ITrainedModel model, ModelInputRows rows)
    {
        var (mu, logvar) = BatchedInference.Encode(model, rows.Count, rows.Rows);
        var (n, z) = ((ulong)rows.Count, (ulong)model.LatentDim);
        file["mu"] = new H5Dataset(mu, fileDims: [n, z]);
        file["logvar"] = new H5Dataset(logvar, fileDims: [n, z]);
    }
}
