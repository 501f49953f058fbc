using System.CommandLine;
using Vae.Host.Cli;

namespace Vae.Host.Tests.Experiments;

/// <summary>
/// reproduce's commands: the old mode options are refused with one line naming the new form (which parses), each
/// command takes only its own options, and plain reproduce is reproduce run.
/// </summary>
public sealed class ReproduceFormsTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-forms-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    /// <summary>Old command lines and the one error line that names their new form.</summary>
    public static TheoryData<string, string> OldForms() => new()
    {
        { "--dry-run --only hh-mlp --epochs 1", "reproduce --dry-run is now reproduce plan: `reproduce plan --only hh-mlp --epochs 1`." },
        { "--dry-run --workers 2 --quiet", "reproduce --dry-run is now reproduce plan: `reproduce plan --workers 2`." },
        { "--list --shard 1/2 --only hh-mlp", "reproduce --list is now reproduce list: `reproduce list --shard 1/2 --only hh-mlp`." },
        { "--report-only --out exp --quiet", "reproduce --report-only is now reproduce report: `reproduce report --out exp`." },
        { "--slurm --partition p --cpus-per-task 3 --time-factor 3", "reproduce --slurm is now reproduce slurm: "
            + "`reproduce slurm --partition p --cpus-per-task 3 --time-factor 3`." },
        { "--slurm --shard 4 --only hh-conv",
            "reproduce --slurm --shard 4 is now reproduce slurm --shards 4: `reproduce slurm --shards 4 --only hh-conv`." },
        { "--shard 2/4 --only hh-mlp --no-report --threads 1", "reproduce --shard 2/4 is now reproduce shard 2/4: "
            + "`reproduce shard 2/4 --only hh-mlp --no-report --threads 1`." },
        { "--only hh-mlp --shard 2/4", "reproduce --shard 2/4 is now reproduce shard 2/4: `reproduce shard 2/4 --only hh-mlp`." },
        { "--partition p --epochs 2", "--partition is an option of reproduce slurm: `reproduce slurm --partition p --epochs 2`." },
        { "--time-factor 3", "--time-factor is an option of reproduce slurm: `reproduce slurm --time-factor 3`." },
        // Combinations that were refused before name one new form too.
        { "--workers 2 --shard 1/2", "reproduce --shard 1/2 is now reproduce shard 1/2: `reproduce shard 1/2`." },
        { "--dry-run --list", "reproduce --list is now reproduce list: `reproduce list`." },
    };

    [Theory, MemberData(nameof(OldForms))]
    public void Old_forms_fail_with_one_line_naming_the_new_form_which_parses(string old, string line)
    {
        var data = Path.Combine(_tmp, "data");
        var (code, output, err) = CliRunner.Run(["reproduce", .. old.Split(' '), "--data-dir", data]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("", output);
        Assert.Equal(["error: " + line.Replace("`.", " --data-dir " + data + "`.")],
            err.Split('\n').Where(l => l.StartsWith("error", StringComparison.Ordinal)));
        Assert.Empty(Directory.GetFileSystemEntries(_tmp));
        var named = line[(line.IndexOf('`') + 1)..line.LastIndexOf('`')].Split(' ');
        Assert.Empty(HostCli.Build().Parse(named).Errors);
    }

    /// <summary>Options that belong to another command, given to one that does not own them.</summary>
    public static TheoryData<string> Inexpressible() => new()
    {
        "run --slurm", "run --shard 1/2", "run --shards 2", "run --dry-run", "run --report-only",
        "plan --shard 1/2", "plan --no-report", "plan --quiet", "plan --partition p",
        "list --workers 2", "list --no-report",
        "report --no-report", "report --workers 2", "report --shard 1/2", "report --quiet",
        "slurm --workers 2", "slurm --shard 1/2", "slurm --no-report",
        "shard 1/2 --workers 2", "shard 1/2 --shards 2", "shard 1/2 --partition p",
    };

    [Theory, MemberData(nameof(Inexpressible))]
    public void Each_command_takes_only_its_own_options(string form)
    {
        var (code, _, err) = CliRunner.Run(["reproduce", .. form.Split(' '), "--data-dir", Path.Combine(_tmp, "data")]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(err.Split('\n'), l => l.StartsWith("error: Unrecognized command or argument '--", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(_tmp));
    }

    [Fact]
    public void Options_before_the_command_are_refused_rather_than_given_to_the_default()
    {
        var (code, _, err) = CliRunner.Run("reproduce", "--out", Path.Combine(_tmp, "exp"), "plan");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("error: --out comes before the command plan; write reproduce plan and then its options.", err);
    }

    [Fact]
    public void Plain_reproduce_is_reproduce_run_with_the_same_options()
    {
        var reproduce = HostCli.Build().Subcommands.Single(c => c.Name == "reproduce");
        var run = reproduce.Subcommands.Single(c => c.Name == "run");
        Assert.Equal(run.Options.Select(o => o.Name), reproduce.Options.Where(o => !o.Hidden).Select(o => o.Name));
        Assert.Equal(["run", "plan", "list", "report", "slurm", "shard"], reproduce.Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void A_shard_is_i_of_n()
    {
        var (code, _, err) = CliRunner.Run("reproduce", "shard", "3/2", "--data-dir", Path.Combine(_tmp, "data"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("error: reproduce shard takes i/n with 1 <= i <= n (e.g. 2/4), got '3/2'.", err.Trim());
        (code, _, err) = CliRunner.Run("reproduce", "shard", "--data-dir", Path.Combine(_tmp, "data"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("argument missing for command: 'shard'", err);
    }
}
