using System.Runtime.InteropServices;

namespace Vae.Host.Cli;

/// <summary>
/// Turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation that long commands observe at safe points
/// (between training batches, between simulated traces, before an output is written), so the process never dies
/// half-way through a write. A second signal terminates at once, as usual, except in a worker of
/// <c>reproduce --workers</c> (<see cref="WorkerVariable"/> set): its launcher passes on the signal it gets, so a
/// worker in the terminal's process group may see one Ctrl+C twice, and only the first counts.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _error;
    private readonly bool _repeatsIgnored;

    /// <summary>Set in the environment of the processes <c>reproduce --workers</c> starts.</summary>
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
            context.Cancel = _repeatsIgnored;  // otherwise the second signal takes its default action: terminate now
            return;
        }
        context.Cancel = true;
        _error.WriteLine($"{context.Signal}: stopping at the next safe point{(_repeatsIgnored ? "" : " (send it again to stop at once)")}.");
        _source.Cancel();
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        foreach (var r in _registrations)
            r.Dispose();
        _source.Dispose();
    }
}
