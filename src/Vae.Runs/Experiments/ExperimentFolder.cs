namespace Vae.Runs.Experiments;

/// <summary>
/// The files of an experiment folder besides its run folders: results and analysis tables, report and figures,
/// stored step times, locks, Slurm scripts and their logs. The one place these names are spelled.
/// </summary>
public sealed class ExperimentFolder(string root)
{
    /// <summary>The experiment folder's full path.</summary>
    public string Root { get; } = Path.GetFullPath(root);
    /// <summary>The run folder of config <paramref name="name"/>.</summary>
    public string RunOf(string name) => Path.Combine(Root, name);
    /// <summary>The results table as CSV.</summary>
    public string ResultsCsv => Path.Combine(Root, "results.csv");
    /// <summary>The results table as Markdown.</summary>
    public string ResultsMarkdown => Path.Combine(Root, "results.md");
    /// <summary>The cross-config analysis table (what each latent space learned) as CSV.</summary>
    public string AnalysisCsv => Path.Combine(Root, "analysis.csv");
    /// <summary>The cross-config analysis table as Markdown.</summary>
    public string AnalysisMarkdown => Path.Combine(Root, "analysis.md");
    /// <summary>The experiment's report.</summary>
    public string ReportPath => Path.Combine(Root, "report.html");
    /// <summary>Folder of the experiment's PNG figures.</summary>
    public string FigureDir => Path.Combine(Root, "figures");
    /// <summary>Step times measured once for the experiment, so every process balances shards alike.</summary>
    public string StepTimes => Path.Combine(Root, "step-times.csv");
    /// <summary>Folder of the lock files.</summary>
    public string LockDir => Path.Combine(Root, "locks");
    /// <summary>The lock a process holds while it trains config <paramref name="name"/>.</summary>
    public string ConfigLock(string name) => Path.Combine(LockDir, name + ".lock");
    /// <summary>The lock around writing the results table and report, and around measuring step times.</summary>
    public string SharedFilesLock => Path.Combine(LockDir, "experiment.lock");
    /// <summary>Folder of the generated Slurm scripts.</summary>
    public string SlurmDir => Path.Combine(Root, "slurm");
    /// <summary>The job-array script.</summary>
    public string ArrayScript => Path.Combine(SlurmDir, "train.sbatch");
    /// <summary>The script of the final report job.</summary>
    public string ReportScript => Path.Combine(SlurmDir, "report.sbatch");
    /// <summary>Folder of the per-task Slurm logs.</summary>
    public string LogDir => Path.Combine(Root, "logs");
}
