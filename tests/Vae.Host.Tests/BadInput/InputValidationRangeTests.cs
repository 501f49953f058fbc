using Vae.Runs;
using System.CommandLine;
using Vae.Host.Cli;
using Vae.Runs.Persistence;
using Vae.Runs.Training;

namespace Vae.Host.Tests.BadInput;

/// <summary>
/// Every numeric option of every command has a range and refuses bad text at parse time; the environment
/// failures that cannot be staged in a test (a full disk, a read-only folder) map to one line and exit 2.
/// </summary>
public class InputValidationRangeTests
{
    private static readonly Type[] Numeric = [typeof(int), typeof(long), typeof(ulong), typeof(uint), typeof(short), typeof(double), typeof(float),
        typeof(decimal)];

    /// <summary>Every numeric option of the host's tree, with the command words that reach it.</summary>
    public static TheoryData<string, string> NumericOptions()
    {
        var data = new TheoryData<string, string>();
        void Walk(Command cmd, string path)
        {
            foreach (var o in cmd.Options.Where(o => Numeric.Contains(Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType)))
                data.Add(path, o.Name);
            foreach (var sub in cmd.Subcommands)
                Walk(sub, (path + " " + sub.Name).Trim());
        }
        Walk(HostCli.Build(), "");
        return data;
    }

    private static Option Find(string path, string name)
    {
        Command cmd = HostCli.Build();
        foreach (var word in path.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            cmd = cmd.Subcommands.Single(c => c.Name == word);
        return cmd.Options.Single(o => o.Name == name);
    }

    [Fact]
    public void The_tree_has_the_numeric_options_of_every_command() => Assert.True(NumericOptions().Count >= 40,
        $"{NumericOptions().Count} numeric options");

    [Theory, MemberData(nameof(NumericOptions))]
    public void Every_numeric_option_has_a_range(string command, string option) =>
        Assert.True(Find(command, option) is IRangedOption, $"{command} {option} has no range");

    [Theory, MemberData(nameof(NumericOptions))]
    public void Every_numeric_option_refuses_text_and_huge_numbers_in_one_line(string command, string option)
    {
        foreach (var (value, expected) in new[] { ("abc", $"{option}: 'abc' is not"), ("1e999999", $"{option}: "),
            ("99999999999999999999", $"{option}: 99999999999999999999 is out of range") })
        {
            string[] args = [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), option, value, .. NeededBeside(command, option)];
            var (code, _, err) = CliRunner.Run(args);
            Assert.Equal(ExitCodes.BadInput, code);
            var errors = err.Split('\n').Where(l => l.StartsWith("error:")).ToList();
            Assert.Single(errors);
            Assert.Contains(expected, errors[0]);
            Assert.Contains("allowed: ", errors[0]);
        }
    }

    // What a command needs besides the option for its line to be complete (reproduce shard's part).
    private static string[] NeededBeside(string command, string option) =>
        command == "reproduce shard" ? ["1/2"] : [];

    [Fact]
    public void A_full_disk_is_bad_environment_and_says_so()
    {
        var full = Assert.ThrowsAny<IOException>(() => File.WriteAllBytes("/dev/full", new byte[1 << 16]));
        var (code, message) = HostCli.ExitCodeOf(new System.Reflection.TargetInvocationException(full));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("no space left on the device", message);
    }

    [Fact]
    public void A_read_only_folder_is_refused_before_resuming()
    {
        var e = Assert.Throws<UserInputException>(() => ResumeCheck.Writable(RunFolder.At("/proc")));
        Assert.Contains("is not writable", e.Message);
        Assert.Equal(ExitCodes.BadInput, HostCli.ExitCodeOf(new UnauthorizedAccessException("Access to the path '/x' is denied.")).Code);
        Assert.Equal(ExitCodes.BadInput, HostCli.ExitCodeOf(new IOException("Read-only file system : '/x'", 30)).Code);
    }

    [Fact]
    public void Commands_without_hh_data_do_not_suggest_it()
    {
        using var box = new Sandbox();
        RunFixtures.ConfigOnly(box, c => c["hhData"] = box.At("gone.h5"));
        foreach (var command in new[] { "evaluate", "encode" })
        {
            var (code, _, err) = CliRunner.Run(command, box.At("run"), "--data-dir", box.At("data"));
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.DoesNotContain("--hh-data", err);
        }
    }
}
