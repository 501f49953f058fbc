using Vae.Runs;
using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
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
        cmd.SetCancellableAction((parse, cancel) =>
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
            // The traces stay on disk, read a block of rows at a time: measured on 10,000 traces this is faster than
            // reading them whole, in 74 MB instead of 267 MB (docs/features.md, "Large files").
            using var file = HhStreamedFile.Open(source);
            var traces = FeatureTraces.From(file);
            double readSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            // The features go to the files a block of rows at a time; an interruption or an error before both are
            // complete leaves neither.
            FeatureFilesSummary Compute(Action<int>? progress) =>
                FeatureFiles.Write(traces, file.Parameters, source, h5, csv, threadCount, progress: progress, cancel: cancel);
            FeatureFilesSummary written = null!;
            if (Terminal.IsInteractive(output))
                AnsiConsole.Progress().AutoClear(true).Start(ctx =>
                {
                    var task = ctx.AddTask($"features of {file.Count} traces", maxValue: file.Count);
                    written = Compute(done => task.Value = done);
                });
            else
                written = Compute(null);
            double writeSeconds = written.Writing.TotalSeconds;
            double computeSeconds = clock.Elapsed.TotalSeconds - writeSeconds;
            // CPU time beside wall time: on a shared machine the wall time alone says little.
            double computeCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;

            var undefined = written.Columns.Select((name, j) => (Name: name, Count: written.Undefined[j]))
                .Where(c => c.Count > 0).Select(c => $"{c.Name} {c.Count}").ToList();
            output.WriteLine($"computed {written.Columns.Count} features of {written.Rows} traces (protocol {file.Protocol}, "
                + $"onset {traces.Stimulus.OnsetMs} ms; scaled thresholds through {written.ScaledMap.Low:F2} .. {written.ScaledMap.High:F2} mV) "
                + $"in {computeSeconds:F2} s on {threadCount} threads, CPU {computeCpu:F2} s "
                + $"(open and check {readSeconds:F2} s, write {writeSeconds:F2} s)");
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
