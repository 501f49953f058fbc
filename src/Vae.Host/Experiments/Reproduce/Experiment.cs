using System.Globalization;
using Vae.Host.Cli;
using Vae.Runs.Data;
using Vae.Runs.Training;
using HhFile = Vae.Simulation.Storage.HhFile;
using Vae.Runs.Experiments;
using Vae.Runs.Settings;

namespace Vae.Host.Experiments.Reproduce;

/// <summary>One experiment as a form of <c>reproduce</c> opened it (<see cref="ExperimentOptions.Open"/>).</summary>
/// <param name="Folder">The experiment folder.</param>
/// <param name="Protocol">The HH data's protocol.</param>
/// <param name="DataRoot">The dataset cache.</param>
/// <param name="SeedCsv">The original's conductance draws (absolute path), for seed-code.</param>
/// <param name="HhCount">Traces of the report-protocol dataset.</param>
/// <param name="Epochs">Epochs of every config, or null for the original's.</param>
/// <param name="MnistDir">A folder holding the MNIST IDX files, or null.</param>
/// <param name="Only">The selection as given, or null for all.</param>
/// <param name="ThreadsOption">--threads as given.</param>
/// <param name="Threads">The libtorch threads of this process.</param>
/// <param name="HhData">The HH dataset file.</param>
/// <param name="All">Every config of the study.</param>
/// <param name="Entries">The selected configs.</param>
public sealed record Experiment(ExperimentFolder Folder, HhDataProtocol Protocol, string DataRoot, string SeedCsv, int HhCount, int? Epochs,
    string? MnistDir, string? Only, int? ThreadsOption, int Threads, string HhData, IReadOnlyList<SweepEntry> All, List<SweepEntry> Entries)
{
    /// <summary>
    /// The experiment's options as other processes of this product take them (Slurm tasks, workers), with absolute
    /// paths and without the selection.
    /// </summary>
    public string[] Options() =>
        ["--out", Folder.Root, "--protocol", Protocol.Text, "--data-dir", DataRoot,
         .. Protocol == HhDataProtocol.SeedCode ? ["--seed-params", SeedCsv] : new[] { "--hh-count", HhCount.ToString(CultureInfo.InvariantCulture) },
         .. Epochs is int ep ? ["--epochs", ep.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
         .. MnistDir is string md ? ["--mnist-dir", Path.GetFullPath(md)] : Array.Empty<string>()];

    /// <summary>The selection as options (<c>--only</c>), or none.</summary>
    public string[] Selection() => Only is string o ? ["--only", o] : [];

    /// <summary>
    /// The selected configs with their states and estimates. <paramref name="storeTimes"/>: keep the measured step
    /// times in the folder, so that shards come out alike in every process.
    /// </summary>
    public List<PlannedConfig> Plan(bool storeTimes, Action<string> log)
    {
        // The data file is read before any step is timed, so that a missing file is reported at once.
        var hhTrain = HhFile.TrainCount(HhData);
        return SweepPlan.Of(StepTimes.For(Entries, Folder, store: storeTimes, log), Folder, hhTrain);
    }

    /// <summary>Refuses a folder that holds runs of other settings, before any work.</summary>
    public void CheckFolder()
    {
        foreach (var e in Entries)
            ExperimentState.Of(Folder.RunOf(e.Name), e.Config);
    }

    /// <summary>
    /// After training (<paramref name="outcome"/>): the results and analysis tables, and unless
    /// <paramref name="noReport"/> the figures and report under the experiment's lock; the exit code.
    /// </summary>
    public int Finish(SweepOutcome outcome, bool noReport, TextWriter output)
    {
        Directory.CreateDirectory(Folder.Root);
        if (noReport)
            SweepTraining.WriteResults(Folder, All, output.WriteLine);
        else
            using (FileLock.Acquire(Folder.SharedFilesLock, output.WriteLine))
                ExperimentReport.Write(Folder, All, DataRoot, MnistDir, Threads, output.WriteLine);
        if (outcome.Busy > 0)
            output.WriteLine($"{outcome.Busy} configs are being trained by other processes; run reproduce report once they finish.");
        output.WriteLine(noReport
            ? $"results: {Folder.ResultsMarkdown}, results.csv, {Path.GetFileName(Folder.AnalysisMarkdown)} and "
            + $"{Path.GetFileName(Folder.AnalysisCsv)} (figures and report: reproduce report)"
            : $"results: {Folder.ResultsMarkdown}, results.csv, {Path.GetFileName(Folder.AnalysisMarkdown)}, {Path.GetFileName(Folder.AnalysisCsv)}, "
                + "figures/ and report.html");
        return outcome.Failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
