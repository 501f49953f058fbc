using Vae.Runs;
using System.CommandLine;
using System.Diagnostics;
using Vae.Host.Cli;
using Vae.Simulation.Features;
using Vae.Simulation.Storage;

namespace Vae.Host.Commands;

/// <summary>
/// `features &lt;data.h5&gt;`: the hand-crafted eFEL-style features and sbi statistics of every trace of an HH dataset
/// file, in mV and on the scaled traces, with the split and gK/gNa, to HDF5 and CSV (docs/features.md).
/// </summary>
public static class FeaturesCommand
{
    /// <summary>The `features` command.</summary>
    public static Command Create()
    {
        var data = new Argument<string>("data") { Description = "HH dataset file (HDF5) written by `simulate`." };
        var outPath = new Option<string?>("--out")
        {
            Description = "HDF5 file to write (default <data>-features.h5); the CSV goes beside it with the extension .csv.",
        };
        var force = new Option<bool>("--force") { Description = "Replace existing output files." };
        var threads = HostOptions.Threads();
        var cmd = new Command("features",
            "Hand-crafted features (eFEL-style and sbi's HH statistics, in mV and scaled) of every trace of an HH dataset, to HDF5 and CSV.");
        cmd.Arguments.Add(data);
        foreach (var o in new Option[] { outPath, force, threads })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string source = Path.GetFullPath(parse.GetValue(data)!);
            if (Directory.Exists(source))
                throw new UserInputException($"HH dataset {source} is a folder; give a dataset file written by `simulate`.");
            if (!File.Exists(source))
                throw new UserInputException($"HH dataset {source} does not exist; give a file written by `simulate`.");
            var (h5, csv) = OutputPaths(source, parse.GetValue(outPath));
            OutputGuard.RefuseExisting(parse.GetValue(force), h5, csv);
            AtomicFile.EnsureWritable(h5);
            int threadCount = SimulateOptions.Threads(parse, threads);

            var clock = Stopwatch.StartNew();
            var file = HhFile.Read(source);
            var traces = FeatureTraces.From(file);
            double readSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var table = FeatureTable.Compute(traces, file.Parameters, threadCount);
            double computeSeconds = clock.Elapsed.TotalSeconds;
            // CPU time beside wall time: on a shared machine the wall time alone says little.
            double computeCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            clock.Restart();
            FeatureTableWriter.Write(table, source, h5, csv);
            double writeSeconds = clock.Elapsed.TotalSeconds;

            var m = table.Features;
            var undefined = Enumerable.Range(0, m.Columns.Count)
                .Select(j => (Name: m.Columns[j], Count: m.Column(j).Count(double.IsNaN)))
                .Where(c => c.Count > 0).Select(c => $"{c.Name} {c.Count}").ToList();
            output.WriteLine($"computed {m.Columns.Count} features of {m.Rows} traces (protocol {file.Protocol}, onset {traces.Stimulus.OnsetMs} ms; "
                + $"scaled thresholds through {table.ScaledMap.Low:F2} .. {table.ScaledMap.High:F2} mV) in {computeSeconds:F2} s on {threadCount} "
                + $"threads, CPU {computeCpu:F2} s "
                + $"(read {readSeconds:F2} s, write {writeSeconds:F2} s)");
            output.WriteLine($"undefined (NaN): {(undefined.Count == 0 ? "none" : string.Join(", ", undefined))}");
            output.WriteLine($"wrote {h5} and {csv}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// The HDF5 file and the CSV beside it (same name, extension .csv): the one place both names are derived.
    /// Refuses an --out whose two names coincide (it ends in .csv) or that would replace the dataset.
    /// </summary>
    public static (string H5, string Csv) OutputPaths(string source, string? outPath)
    {
        string h5 = Path.GetFullPath(outPath ?? Path.ChangeExtension(source, null) + "-features.h5");
        string csv = Path.ChangeExtension(h5, ".csv");
        if (h5 == csv)
            throw new UserInputException($"--out {outPath} names the HDF5 file, and the CSV would take the same name; "
                + "give an .h5 name (the CSV goes beside it as .csv).");
        if (h5 == source || csv == source)
            throw new UserInputException($"--out {h5} would overwrite the dataset; choose another --out.");
        return (h5, csv);
    }
}
