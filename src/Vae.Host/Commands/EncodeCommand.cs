using System.CommandLine;
using PureHDF;
using Vae.Host.Cli;
using Vae.Host.Data;
using HhFile = Vae.Simulation.Storage.HhFile;
using Vae.Host.Models;
using Vae.Host.Persistence;
using Vae.Simulation.Storage;
using static TorchSharp.torch;

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
        var dataFile = new Option<string?>("--data") { Description = "HH dataset (HDF5) to encode; default: the run's own HH dataset, or its MNIST test set." };
        var outPath = new Option<string?>("--out") { Description = "HDF5 file to write (default: <run>/latents.h5)." };
        var force = new Option<bool>("--force") { Description = "Replace an existing output file." };
        var cmd = new Command("encode", "Latent means and log-variances of a dataset under a trained run, to HDF5 (/mu, /logvar, and /parameters, /split or /labels).");
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
            using var scope = NewDisposeScope();
            if (cfg.Dataset == "hh")
            {
                var hh = HhFile.Read(parse.GetValue(dataFile) is { } h5 ? Path.GetFullPath(h5) : run.HhPath(parse, cfg, threads, output.WriteLine));
                var model = RunArgument.Model(cfg, folder, DataKind.Traces, hh.Length);
                Encode(file, model, tensor(hh.Traces, [hh.Count, hh.Length], ScalarType.Float32));
                file["parameters"] = new H5Dataset(hh.Parameters, fileDims: [(ulong)hh.Count, 2]);
                file["split"] = hh.Split;
                file.Attributes["data"] = hh.Path;
            }
            else
            {
                if (parse.GetValue(dataFile) is not null)
                    throw new UserInputException("--data takes an HH dataset; this run was trained on MNIST (omit --data to encode its test set).");
                using var data = run.Data(parse, cfg, threads, output.WriteLine);
                Encode(file, RunArgument.Model(cfg, folder, data.Kind, data.Features), data.Test);
                file["labels"] = data.TestLabels;
                file.Attributes["data"] = data.Identity + " (test split)";
            }
            file.Attributes["run"] = folder.Root;
            AtomicFile.Write(path, temp => file.Write(temp), createFolder: true);
            output.WriteLine($"wrote latent means and log-variances to {path}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void Encode(H5File file, ITrainedModel model, Tensor data)
    {
        var (mu, logvar) = model.Encode(data);
        var n = (ulong)data.shape[0];
        var z = (ulong)model.LatentDim;
        file["mu"] = new H5Dataset(mu.to(ScalarType.Float32).contiguous().data<float>().ToArray(), fileDims: [n, z]);
        file["logvar"] = new H5Dataset(logvar.to(ScalarType.Float32).contiguous().data<float>().ToArray(), fileDims: [n, z]);
    }
}
