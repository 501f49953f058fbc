using System.Runtime.InteropServices;
using Vae.Simulation.Storage;

namespace Vae.Host.Cli;

/// <summary>
/// Turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation that long commands observe at safe points
/// (between training batches, between simulated traces, before an output is renamed into place), so the process never
/// leaves a half-written file. A second signal stops at once (exit 130, the temporaries of writes under way removed), except in a worker of
/// <c>reproduce run --workers</c> (<see cref="WorkerVariable"/> set): its launcher passes on the signal it gets, so a
/// worker in the terminal's process group may see one Ctrl+C twice, and only the first counts.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _error;
    private readonly bool _repeatsIgnored;

    /// <summary>Set in the environment of the processes <c>reproduce run --workers</c> starts.</summary>
    public const string WorkerVariable = "FUNCTIONALVAE_WORKER";

    private Interruption(TextWriter error)
    {
        _error = error;
        _repeatsIgnored = Environment.GetEnvironmentVariable(WorkerVariable) is { Length: > 0 };
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Starts listening for SIGINT and SIGTERM; notices go to <paramref name="error"/>.</summary>
    public static Interruption Listen(TextWriter error) => new(error);

    private void Handle(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested)
        {
            context.Cancel = true;
            if (!_repeatsIgnored)
                StopNow(context.Signal);
            return;
        }
        context.Cancel = true;
        _error.WriteLine($"{context.Signal}: stopping at the next safe point{(_repeatsIgnored ? "" : " (send it again to stop at once)")}.");
        _source.Cancel();
    }

    // The runtime's own handling of a second SIGTERM waits for the command to return (a dataset's write goes on for
    // seconds), so the process ends here: the temporary files of writes under way go first, then exit 130 at once.
    private void StopNow(PosixSignal signal)
    {
        AtomicFile.RemoveInFlight();
        _error.WriteLine($"error: interrupted by a second {signal}: stopped at once; files already complete are kept and "
            + "nothing half-written is left.");
        _error.Flush();
        if (OperatingSystem.IsWindows())
            Environment.Exit(ExitCodes.Interrupted);
        ExitNow(ExitCodes.Interrupted);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        foreach (var r in _registrations)
            r.Dispose();
        _source.Dispose();
    }
}
