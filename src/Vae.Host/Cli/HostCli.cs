using Vae.Runs;
using System.CommandLine;
using Vae.Host.Commands;
using Vae.Runs.Training;
using Vae.Model;
using Vae.Simulation;
using Vae.Simulation.Traces;

namespace Vae.Host.Cli;

/// <summary>Builds the command tree and runs it with the host's error and exit-code conventions.</summary>
public static class HostCli
{
    /// <summary>The root command (training) with every subcommand attached.</summary>
    public static RootCommand Build()
    {
        var root = TrainCommand.Create();
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(SimulateTraceCommand.Create());
        root.Subcommands.Add(BenchSimulateCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(InferCommand.Create());
        root.Subcommands.Add(BenchTrainCommand.Create());
        EmptyValues.RefuseIn(root);
        return root;
    }

    /// <summary>
    /// Parses and invokes with the host's one error mapping (<see cref="ExitCodeOf"/>): parse errors and bad input
    /// become one <c>error:</c> line and exit 2, failed runs one line and exit 1, an interruption (Ctrl+C, SIGTERM,
    /// <paramref name="cancel"/>) one line and exit 130. No command catches these itself.
    /// </summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancel = default) =>
        RunWith(Build(), args, output, error, cancel);

    /// <summary>Runs <paramref name="root"/> (the host's tree, or another for tests) with the host's error mapping.</summary>
    public static int RunWith(
        RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancel = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"error: {ParseErrorLine.Of(parsed.Errors)}");
            error.WriteLine("Run with --help to see the commands and options.");
            return ExitCodes.BadInput;
        }
        // Signals are the host's (Interruption), not System.CommandLine's: the token reaches the commands as given.
        var config = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return parsed.InvokeAsync(config, cancel).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            var (code, message) = ExitCodeOf(e);
            error.WriteLine($"error: {message}");
            if (code == ExitCodes.Failure && !IsKnownFailure(e))
                error.WriteLine(Environment.GetEnvironmentVariable(TraceVariable) == "1"
                    ? e.ToString()
                    : $"This is a bug; set {TraceVariable}=1 to see where it happened.");
            return code;
        }
    }

    /// <summary>Environment variable that makes an unexpected failure print its stack trace.</summary>
    public const string TraceVariable = "FUNCTIONALVAE_TRACE";

    /// <summary>
    /// The host's one mapping from what a command threw to its exit code and one-line message: bad input
    /// (the host's, the simulation library's, an unreadable data file) and a bad environment (a full disk, a
    /// read-only folder; <see cref="EnvironmentErrors"/>) are 2; a failed run (a failed solve, a
    /// non-finite loss, a diverging benchmark, libtorch that cannot load) is 1; an interruption is 130; anything
    /// else is an unexpected failure, 1.
    /// </summary>
    public static (int Code, string Message) ExitCodeOf(Exception e) => Unwrap(e) switch
    {
        UserInputException or InvalidDataException or SimulationInputException => (ExitCodes.BadInput, OneLine(RemedyText.MessageOf(Unwrap(e)))),
        var env when EnvironmentErrors.Describe(env) is { } message => (ExitCodes.BadInput, OneLine(message)),
        RunFailedException or TraceFailedException => (ExitCodes.Failure, OneLine(RemedyText.MessageOf(Unwrap(e)))),
        NativeSetup.NativeLoadException n => (ExitCodes.Failure, OneLine(n.Data0)),
        OperationCanceledException c => (ExitCodes.Interrupted, c is RunInterruptedException ? OneLine(RemedyText.MessageOf(c))
            : "interrupted; files already complete are kept and nothing half-written is left."),
        var other => (ExitCodes.Failure, $"unexpected {other.GetType().Name}: {OneLine(other.Message)}"),
    };

    private static bool IsKnownFailure(Exception e) =>
        Unwrap(e) is RunFailedException or TraceFailedException or NativeSetup.NativeLoadException;

    /// <summary>Parallel work, task-based actions and reflection (the HDF5 writer) wrap a single failure; report the failure itself.</summary>
    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
