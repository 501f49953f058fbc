using Vae.Runs;
using System.Globalization;
using System.Text;
using Vae.Simulation.Storage;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments;

/// <summary>Resources of the generated Slurm jobs.</summary>
/// <param name="Partition">Slurm partition, or null for the cluster's default.</param>
/// <param name="CpusPerTask">CPUs of each task (also its libtorch threads).</param>
/// <param name="TimeFactor">Each task's time limit is its estimated training time times this (evaluation, data loading and slower nodes).</param>
/// <param name="Shards">One array task per shard of this many, or null for one per config.</param>
public sealed record SlurmResources(string? Partition, int CpusPerTask, double TimeFactor, int? Shards);

/// <summary>
/// Writes an experiment's Slurm job array: one task per config (or per shard), each running
/// <c>reproduce run --only &lt;config&gt;</c> (or <c>reproduce shard i/n</c>) with the experiment's options, logs in
/// the experiment folder; the array's first task submits the report job (<c>reproduce report</c>) to run after the
/// whole array (<c>--dependency=afterany</c>). Tasks find the product as the script's writer ran it: the same .NET host and
/// assembly, by absolute path (a repository clone or an installed tool on a shared file system), unless the
/// environment variable <c>FUNCTIONALVAE</c> names another command (e.g. <c>functionalvae</c>).
/// </summary>
public static class SlurmScript
{
    // Each task also loads data, evaluates every epoch and starts libtorch: never ask for less.
    private static readonly TimeSpan MinimumTime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ReportTime = TimeSpan.FromHours(1);

    /// <summary>
    /// Writes the array and report scripts for <paramref name="plan"/> into <paramref name="folder"/>;
    /// <paramref name="options"/> are the experiment's reproduce options (absolute paths), <paramref name="taskOptions"/>
    /// those only the training tasks take (e.g. --quiet), <paramref name="only"/> the selection as given. Returns the
    /// line that submits the array.
    /// </summary>
    public static string Write(ExperimentFolder folder, IReadOnlyList<PlannedConfig> plan, IReadOnlyList<string> options,
        IReadOnlyList<string> taskOptions, string? only, SlurmResources res)
    {
        if (folder.Root.Any(char.IsWhiteSpace))
            throw new UserInputException($"--out {folder.Root} contains white space, which #SBATCH lines cannot take; "
                + "choose a folder path without spaces.");
        var tasks = res.Shards is int n
            ? SweepPlan.Shards(plan, n)
            : plan.Select(c => new List<PlannedConfig> { c }).ToList();
        var longest = tasks.Max(t => t.Sum(c => c.TotalSeconds));
        var time = TimeSpan.FromSeconds(Math.Max(MinimumTime.TotalSeconds, Math.Ceiling(longest * res.TimeFactor / 60) * 60));
        var name = "fvae-" + Path.GetFileName(folder.Root);
        Directory.CreateDirectory(folder.SlurmDir);
        Directory.CreateDirectory(folder.LogDir);

        var reproduce = string.Join(" ", options.Select(Quote));
        var training = string.Join("", taskOptions.Select(o => " " + Quote(o)));
        var array = Header(name, res, time, $"{folder.LogDir}/%x_%A_%a.out", $"1-{tasks.Count}",
            $"{plan.Count} configs of {folder.Root} as {tasks.Count} array tasks "
            + $"({(res.Shards is null ? "one per config" : $"one per shard of {res.Shards}")}); the time limit is the longest task's estimate x "
            + $"{res.TimeFactor.ToString(CultureInfo.InvariantCulture)}.\n"
            + "# Submitting it again skips finished configs and resumes interrupted ones.");
        array.Append(res.Shards is int count
            ? $"task=(shard \"${{SLURM_ARRAY_TASK_ID}}/{count}\"{(only is null ? "" : " --only " + Quote(only))})\n"
            : $"configs=({string.Join(" ", plan.Select(c => Quote(c.Entry.Name)))})\ntask=(run --only \"${{configs[SLURM_ARRAY_TASK_ID - 1]}}\")\n");
        array.Append("# The first task, on its first start, queues the merged table and report after the whole array.\n")
            .Append("if [ \"${SLURM_ARRAY_TASK_ID}\" = \"${SLURM_ARRAY_TASK_MIN}\" ] && [ \"${SLURM_RESTART_COUNT:-0}\" = 0 ]; then\n")
            .Append($"  sbatch --dependency=afterany:\"${{SLURM_ARRAY_JOB_ID}}\" {Quote(folder.ReportScript)}\n")
            .Append("fi\n")
            .Append($"exec \"${{product[@]}}\" reproduce \"${{task[@]}}\" {reproduce}{training} --threads "
                + $"\"${{SLURM_CPUS_PER_TASK:-{res.CpusPerTask}}}\" --no-report\n");

        var report = Header(name + "-report", res, ReportTime, $"{folder.LogDir}/%x_%j.out", null,
            $"The results table, figures and report.html of {folder.Root} from the runs as they stand.");
        report.Append($"exec \"${{product[@]}}\" reproduce report {reproduce} --threads \"${{SLURM_CPUS_PER_TASK:-{res.CpusPerTask}}}\"\n");

        WriteExecutable(folder.ReportScript, report.ToString());
        WriteExecutable(folder.ArrayScript, array.ToString());
        return $"sbatch {Quote(folder.ArrayScript)}";
    }

    private static StringBuilder Header(string job, SlurmResources res, TimeSpan time, string log, string? array, string what)
    {
        var sb = new StringBuilder("#!/bin/bash\n")
            .Append($"# {what}\n")
            .Append("# Written by `reproduce slurm`.\n")
            .Append("# Set FUNCTIONALVAE to run another command than the one below (e.g. FUNCTIONALVAE=functionalvae for the installed tool).\n")
            .Append($"#SBATCH --job-name={job}\n");
        if (array is not null)
            sb.Append($"#SBATCH --array={array}\n");
        sb.Append($"#SBATCH --cpus-per-task={res.CpusPerTask}\n")
            .Append($"#SBATCH --time={SlurmTime(time)}\n")
            .Append($"#SBATCH --output={log}\n");
        if (res.Partition is not null)
            sb.Append($"#SBATCH --partition={res.Partition}\n");
        return sb.Append("set -euo pipefail\n")
            .Append("if [ -n \"${FUNCTIONALVAE:-}\" ]; then read -r -a product <<< \"${FUNCTIONALVAE}\"; ")
            .Append($"else product=({string.Join(" ", Cli.ProductCommand.Current().Select(Quote))}); fi\n");
    }

    /// <summary>A time limit as Slurm's <c>days-hours:minutes:seconds</c>.</summary>
    public static string SlurmTime(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalDays}-{t.Hours:D2}:{t.Minutes:D2}:{t.Seconds:D2}");

    // Single-quoted for bash.
    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static void WriteExecutable(string path, string text)
    {
        AtomicFile.WriteAllText(path, text, createFolder: true);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
