using Vae.Runs;
using System.CommandLine;
using Vae.Host.Cli;
using Vae.Runs.Training;
using Vae.Simulation;

namespace Vae.Host.Tests.Cli;

/// <summary>The host's one error mapping: what a command throws becomes one error line and a named exit code.</summary>
public class ErrorMappingTests
{
    private static (int Code, string Err) Throwing(Exception e)
    {
        var root = new RootCommand("test");
        root.SetAction((Func<ParseResult, int>)(_ => throw e));
        var err = new StringWriter();
        var code = HostCli.RunWith(root, [], new StringWriter(), err);
        return (code, err.ToString());
    }

    public static TheoryData<Exception, int, string> Known() => new()
    {
        { new UserInputException("--x is bad; pass y"), ExitCodes.BadInput, "error: --x is bad; pass y" },
        { new SimulationInputException("gK must be positive"), ExitCodes.BadInput, "error: gK must be positive" },
        { new InvalidDataException("f.h5 is corrupt"), ExitCodes.BadInput, "error: f.h5 is corrupt" },
        { new NonFiniteLossException("the training loss became NaN"), ExitCodes.Failure, "error: the training loss became NaN" },
        { new RunFailedException("mlp: training diverged"), ExitCodes.Failure, "error: mlp: training diverged" },
        { new AggregateException(new RunFailedException("diverged")), ExitCodes.Failure, "error: diverged" },
        { new RunInterruptedException("interrupted in epoch 2"), ExitCodes.Interrupted, "error: interrupted in epoch 2" },
        { new OperationCanceledException(), ExitCodes.Interrupted, "error: interrupted;" },
    };

    [Theory, MemberData(nameof(Known))]
    public void Known_failures_are_one_error_line_with_their_exit_code(Exception thrown, int expected, string line)
    {
        var (code, err) = Throwing(thrown);
        Assert.Equal(expected, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith(line, lines[0]);
    }

    [Fact]
    public void An_unexpected_exception_is_a_failure_without_a_stack_trace()
    {
        var (code, err) = Throwing(new InvalidOperationException("boom"));
        Assert.Equal(ExitCodes.Failure, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("error: unexpected InvalidOperationException: boom", lines[0]);
        Assert.Contains(HostCli.TraceVariable, lines[1]);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void A_multi_line_message_stays_on_one_line()
    {
        var (_, err) = Throwing(new UserInputException("first\nsecond"));
        Assert.Equal("error: first second", err.TrimEnd());
    }

    /// <summary>Every command path of the host, e.g. ["data", "mnist"].</summary>
    public static TheoryData<string[]> Commands()
    {
        var all = new TheoryData<string[]>();
        void Walk(Command c, string[] path)
        {
            all.Add(path);
            foreach (var sub in c.Subcommands)
                Walk(sub, [.. path, sub.Name]);
        }
        Walk(HostCli.Build(), []);
        return all;
    }

    [Theory, MemberData(nameof(Commands))]
    public void Every_command_answers_help_with_0_and_an_unknown_option_with_2(string[] command)
    {
        Assert.Equal(ExitCodes.Ok, CliRunner.Run([.. command, "--help"]).Code);
        var (code, _, err) = CliRunner.Run([.. command, "--no-such-option"]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", err);
    }
}
