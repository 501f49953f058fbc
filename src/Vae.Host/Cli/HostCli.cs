using System.CommandLine;
using Vae.Host.Commands;

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
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(SimulateTraceCommand.Create());
        root.Subcommands.Add(BenchSimulateCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(BenchTrainCommand.Create());
        return root;
    }

    /// <summary>Parses and invokes; parse errors and <see cref="UserInputException"/> become one line and exit 2.</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
                error.WriteLine($"error: {e.Message}");
            error.WriteLine("Run with --help to see the commands and options.");
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is UserInputException or InvalidDataException or Vae.Simulation.SimulationInputException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Vae.Model.NativeSetup.NativeLoadException e)
        {
            error.WriteLine($"error: {e.Data0}");
            return ExitCodes.Failure;
        }
    }
}
