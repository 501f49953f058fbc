using Vae.Runs.Settings;
using System.CommandLine;
using PureHDF;
using Vae.Host.Cli;
using Vae.Runs.Data;
using Vae.Reports.Figures;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Simulation.Storage;
using static TorchSharp.torch;

namespace Vae.Host.Commands;

/// <summary>`generate &lt;run&gt; --n N`: samples from the prior, to HDF5 and as a figure.</summary>
public static class GenerateCommand
{
    /// <summary>The `generate` command.</summary>
    public static Command Create()
    {
        var run = new RunArgument();
        var count = NumericOption.WithDefault("--n", SettingRanges.Samples, 16, "Number of samples.");
        var seed = NumericOption.WithDefault("--seed", SettingRanges.Seed, 0L, "Seed of the prior draws.");
        var outPath = new Option<string?>("--out")
        {
            Description = "HDF5 file to write (default: <run>/samples-n<N>-seed<seed>.h5); a PNG is written beside it.",
        };
        var force = new Option<bool>("--force") { Description = "Replace an existing output file." };
        var cmd = new Command("generate",
            "Sample from the prior of a trained run: data means to HDF5 (/samples, and /time for traces) and a PNG figure.");
        run.AddTo(cmd);
        foreach (var o in new Option[] { count, seed, outPath, force })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var (folder, cfg, threads) = run.Open(parse);
            var n = parse.GetValue(count);
            var path = Path.GetFullPath(parse.GetValue(outPath) ?? Path.Combine(folder.Root, $"samples-n{n}-seed{parse.GetValue(seed)}.h5"));
            var png = Path.ChangeExtension(path, ".png");
            using var held = RunFolderLock.TakeIfWritingInto(folder, path, output.WriteLine);
            OutputGuard.RefuseExisting(parse.GetValue(force), path, png);
            using var data = run.Data(parse, folder, cfg, threads, output.WriteLine);
            var model = RunArgument.Model(cfg, folder, data.Kind, data.Features);
            using var gen = new Generator((ulong)parse.GetValue(seed));
            var values = BatchedInference.Generate(model, gen, n, data.Features);
            var file = new H5File { ["samples"] = new H5Dataset(values, fileDims: [(ulong)n, (ulong)data.Features]) };
            file.Attributes["run"] = folder.Root;
            file.Attributes["seed"] = parse.GetValue(seed);
            file.Attributes["kind"] = $"{data.ExampleKind}: {cfg.EffectiveLikelihood.DecodedMeans}";
            if (data is HhTraces traces)
                file["time"] = traces.Time;
            AtomicFile.Write(path, temp => file.Write(temp), createFolder: true);
            var figure = RunFigures.Png(ExamplePanels.Samples(data, values, "Samples from the prior", maxTraces: 8));
            AtomicFile.WriteAllBytes(png, figure, createFolder: true);
            output.WriteLine($"wrote {n} samples to {path} and {png}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
