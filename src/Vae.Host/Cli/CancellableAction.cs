using System.CommandLine;

namespace Vae.Host.Cli;

/// <summary>Commands that stop at safe points when interrupted receive the host's cancellation token.</summary>
public static class CancellableAction
{
    /// <summary>
    /// Sets a synchronous action that is given the invocation's token (Ctrl+C, SIGTERM; see <see cref="Interruption"/>).
    /// </summary>
    public static void SetCancellableAction(this Command command, Func<ParseResult, CancellationToken, int> action) =>
        command.SetAction((parse, cancel) => Task.FromResult(action(parse, cancel)));
}
