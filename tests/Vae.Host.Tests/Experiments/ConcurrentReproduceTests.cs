using System.Diagnostics;
using Vae.Host.Cli;
using Vae.Runs.Data;
using Vae.Host.Experiments;
using Vae.Runs.Experiments;

namespace Vae.Host.Tests.Experiments;

/// <summary>Several reproduce processes on one experiment folder; locks left by others; shards and the list.</summary>
public sealed class ConcurrentReproduceTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-conc-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    private string[] Args(string exp, string data, params string[] extra) => Form([], exp, data, ["--quiet", .. extra]);

    // `reproduce <command...>` of the experiment, e.g. ["plan"] or ["shard", "2/2"].
    private string[] Form(string[] command, string exp, string data, params string[] extra) =>
        ["reproduce", .. command, "--only", "hh-mlp", "--epochs", "1", "--hh-count", "30", "--threads", "1",
         "--data-dir", Path.Combine(_tmp, data), "--out", Path.Combine(_tmp, exp), .. extra];

    // results.csv without the wall-time column.
    private string Metrics(string exp) =>
        string.Join("\n", File.ReadAllLines(Path.Combine(_tmp, exp, "results.csv")).Select(l => l[..l.LastIndexOf(',')]));

    private static Process Start(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(HostCli).Assembly.Location);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    [Fact]
    public void Two_processes_on_one_folder_train_each_config_once_with_the_serial_runs_results()
    {
        var (code, _, err) = CliRunner.Run(Args("serial", "data-serial", "--no-report"));
        Assert.True(code == ExitCodes.Ok, err);

        // Both start together on one folder and one fresh data cache.
        var procs = new[] { Start(Args("shared", "data-shared", "--no-report")), Start(Args("shared", "data-shared", "--no-report")) };
        var outs = procs.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToList();
        foreach (var p in procs)
            p.WaitForExit();
        var text = string.Concat(outs.Select(o => o.Out.Result));
        Assert.True(procs.All(p => p.ExitCode == 0), string.Concat(outs.Select(o => o.Err.Result)) + text);

        foreach (var name in new[] { "hh-mlp-z2-beta1", "hh-mlp-z20-beta1" })
        {
            Assert.Equal(1, Count(text, $"{name}: starting"));
            // The other process either found it being trained or already complete.
            Assert.Equal(1, Count(text, $"{name}: being trained by") + Count(text, $"{name}: complete, skipped"));
        }
        Assert.Equal(1, Count(text, "simulating 30 HH traces"));
        Assert.Equal(Metrics("serial"), Metrics("shared"));
        // --no-report writes the analysis table beside the results table, and the analyses come out alike.
        var analysis = File.ReadAllLines(new ExperimentFolder(Path.Combine(_tmp, "serial")).AnalysisCsv);
        Assert.Equal(3, analysis.Length);
        Assert.Equal(analysis, File.ReadAllLines(new ExperimentFolder(Path.Combine(_tmp, "shared")).AnalysisCsv));
        Assert.Empty(Directory.GetFiles(Path.Combine(_tmp, "shared", "locks")));
    }

    private static int Count(string text, string what) =>
        text.Split('\n').Count(l => l.Contains(what, StringComparison.Ordinal));

    [Fact]
    public void A_stale_lock_is_taken_over_and_a_live_one_makes_reproduce_skip_its_config()
    {
        var folder = new ExperimentFolder(Path.Combine(_tmp, "exp"));
        Directory.CreateDirectory(folder.LockDir);
        using var dead = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        dead.WaitForExit();
        File.WriteAllText(folder.ConfigLock("hh-mlp-z2-beta1"),
            FileLock.Text(new LockHolder(Environment.MachineName, dead.Id, DateTime.UtcNow, "crashed")));
        using var live = FileLock.TryAcquire(folder.ConfigLock("hh-mlp-z20-beta1"), out _)!;

        var (code, output, err) = CliRunner.Run(Args("exp", "data", "--no-report"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains($"hh-mlp-z2-beta1: the lock of {Environment.MachineName} pid {dead.Id}", output);
        Assert.Contains("hh-mlp-z2-beta1: starting", output);
        Assert.Contains($"hh-mlp-z20-beta1: being trained by {live.Holder}, skipped", output);
        Assert.True(File.Exists(Path.Combine(folder.RunOf("hh-mlp-z2-beta1"), "model.safetensors")));
        Assert.False(Directory.Exists(folder.RunOf("hh-mlp-z20-beta1")));
        Assert.Contains("1 configs are being trained by other processes", output);
        Assert.False(File.Exists(folder.ConfigLock("hh-mlp-z2-beta1")));
    }

    [Fact]
    public void Shards_train_disjoint_parts_whose_union_is_the_selection_and_the_list_shows_their_states()
    {
        var (code, list, err) = CliRunner.Run(Form(["list"], "exp", "data", "--shard", "2/2"));
        Assert.True(code == ExitCodes.Ok, err);
        // Nothing but the list on the output, though the HH data was simulated first.
        var second = list.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.Single(second);
        Assert.Contains("simulating", err);
        var cells = second[0].Split('\t');
        Assert.Equal(4, cells.Length);
        Assert.Equal(("hh-mlp", "new"), (cells[1], cells[3]));
        Assert.True(int.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture) >= 0);

        (code, var output, err) = CliRunner.Run(Form(["shard", "2/2"], "exp", "data", "--quiet", "--no-report"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains($"{cells[0]}: starting", output);
        (code, list, _) = CliRunner.Run(Form(["list"], "exp", "data"));
        var states = list.Split('\n',
            StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains('\t')).Select(l => l.Split('\t')).ToDictionary(c => c[0], c => c[3]);
        Assert.Equal(2, states.Count);
        Assert.Equal("complete", states[cells[0]]);
        Assert.Equal("new", states.Single(kv => kv.Key != cells[0]).Value);
        Assert.Equal("0", list.Split('\n').Single(l => l.StartsWith(cells[0] + "\t", StringComparison.Ordinal)).Split('\t')[2]);
    }

    [Fact]
    public void Workers_train_their_shards_in_processes_side_by_side_with_the_serial_runs_results_then_write_the_report()
    {
        var (code, _, err) = CliRunner.Run(Args("serial", "data-serial", "--no-report"));
        Assert.True(code == ExitCodes.Ok, err);

        (code, var output, err) = CliRunner.Run(Form(["run"], "workers", "data-workers", "--quiet", "--workers", "2"));
        Assert.True(code == ExitCodes.Ok, err + output);
        foreach (var (name, tag) in new[] { ("hh-mlp-z2-beta1", "[worker 1/2]"), ("hh-mlp-z20-beta1", "[worker 2/2]") })
        {
            Assert.Equal(1, Count(output, $"{name}: starting"));
            Assert.Contains($"{tag} [1/1] {name}: starting", output);
        }
        Assert.Equal(Metrics("serial"), Metrics("workers"));
        Assert.True(File.Exists(Path.Combine(_tmp, "workers", "report.html")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_tmp, "workers", "locks")));
    }

    [Fact]
    public void Dry_run_with_workers_puts_every_config_in_one_worker_and_estimates_the_longest_and_trains_nothing()
    {
        var (code, output, err) = CliRunner.Run(Form(["plan"], "exp", "data", "--workers", "3"));
        Assert.True(code == ExitCodes.Ok, err);
        var workers = output.Split('\n').Where(l => l.StartsWith("[worker ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, workers.Count);
        Assert.All(workers, w => Assert.Contains(" 1 thread, ~", w));
        Assert.Equal(1, workers.Count(w => w.Contains("hh-mlp-z2-beta1,", StringComparison.Ordinal) || w.EndsWith("hh-mlp-z2-beta1",
            StringComparison.Ordinal)));
        Assert.Equal(1, workers.Count(w => w.Contains("hh-mlp-z20-beta1", StringComparison.Ordinal)));
        Assert.Single(workers, w => w.EndsWith("nothing to train", StringComparison.Ordinal));
        Assert.Contains("with 3 workers side by side: ~", output);
        Assert.False(Directory.Exists(Path.Combine(_tmp, "exp", "hh-mlp-z2-beta1")));
    }

    [Fact]
    public void Workers_with_more_threads_in_all_than_cores_are_warned_about()
    {
        var cores = Environment.ProcessorCount;
        var (code, _, err) = CliRunner.Run(["reproduce", "plan", "--only", "hh-mlp", "--epochs", "1", "--hh-count", "30",
            "--data-dir", Path.Combine(_tmp, "data"), "--out", Path.Combine(_tmp, "exp"), "--workers", "2", "--threads", $"{cores}"]);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains($"warning: 2 workers x {cores} threads = {2 * cores} threads on {cores} cores", err);
        (code, _, err) = CliRunner.Run(Form(["plan"], "exp", "data", "--workers", "1"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.DoesNotContain("warning", err);
    }

    [Theory]
    [InlineData("--shard", "1/2")]
    [InlineData("--slurm", null)]
    [InlineData("--list", null)]
    [InlineData("--report-only", null)]
    [InlineData("--shards", "2")]
    public void Workers_refuse_the_options_that_pick_another_way_to_run(string option, string? value)
    {
        // They are options of other commands, not of run.
        var (code, _, err) = CliRunner.Run(Form(["run"], "exp", "data",
            ["--workers", "2", option, .. value is null ? Array.Empty<string>() : [value]]));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"error: Unrecognized command or argument '{option}'", err);
        Assert.False(Directory.Exists(Path.Combine(_tmp, "data")));
    }

    [Fact]
    public void Slurm_writes_an_array_of_one_task_per_config_with_the_experiments_options_and_prints_the_sbatch_line()
    {
        var (code, output, err) = CliRunner.Run(Form(["slurm"], "exp", "data", "--quiet", "--partition", "short", "--cpus-per-task", "3"));
        Assert.True(code == ExitCodes.Ok, err);
        var folder = new ExperimentFolder(Path.Combine(_tmp, "exp"));
        Assert.EndsWith($"sbatch '{folder.ArrayScript}'", output.TrimEnd());
        var script = File.ReadAllText(folder.ArrayScript);
        Assert.Contains("#SBATCH --array=1-2\n", script);
        Assert.Contains("#SBATCH --partition=short\n", script);
        Assert.Contains("#SBATCH --cpus-per-task=3\n", script);
        Assert.Contains($"#SBATCH --output={folder.LogDir}/%x_%A_%a.out\n", script);
        Assert.Contains("configs=('hh-mlp-z2-beta1' 'hh-mlp-z20-beta1')", script);
        Assert.Contains("task=(run --only \"${configs[SLURM_ARRAY_TASK_ID - 1]}\")", script);
        Assert.Contains("reproduce \"${task[@]}\" '--out'", script);
        Assert.Contains("'--quiet' --threads", script);
        Assert.Contains($"'--out' '{folder.Root}'", script);
        Assert.Contains("'--hh-count' '30' '--epochs' '1'", script);
        Assert.Contains("--no-report", script);
        Assert.Contains($"--dependency=afterany:\"${{SLURM_ARRAY_JOB_ID}}\" '{folder.ReportScript}'", script);
        var report = File.ReadAllText(folder.ReportScript);
        Assert.Contains($"reproduce report '--out' '{folder.Root}'", report);
        Assert.DoesNotContain("--quiet", report);
        Assert.True(Directory.Exists(folder.LogDir));
        Assert.True(File.Exists(folder.StepTimes));

        (code, _, err) = CliRunner.Run(Form(["slurm"], "exp", "data", "--shards", "2"));
        Assert.True(code == ExitCodes.Ok, err);
        script = File.ReadAllText(folder.ArrayScript);
        Assert.Contains("#SBATCH --array=1-2\n", script);
        Assert.Contains("task=(shard \"${SLURM_ARRAY_TASK_ID}/2\" --only 'hh-mlp')", script);
    }

    [Theory]
    [InlineData("--partition", "p")]
    [InlineData("--time-factor", "2")]
    public void Slurm_options_without_slurm_are_bad_input(string option, string value)
    {
        var (code, _, err) = CliRunner.Run(Args("exp", "data", option, value));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"{option} is an option of reproduce slurm", err);
        (code, _, err) = CliRunner.Run(Form(["plan"], "exp", "data", option, value));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"Unrecognized command or argument '{option}'", err);
    }

    [Fact]
    public void The_time_limit_is_written_as_slurm_reads_it() =>
        Assert.Equal("1-02:03:00", SlurmScript.SlurmTime(new TimeSpan(1, 2, 3, 0)));
}
