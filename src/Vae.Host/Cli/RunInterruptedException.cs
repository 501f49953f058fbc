namespace Vae.Host.Cli;

/// <summary>
/// A command stopped at a safe point because it was interrupted (Ctrl+C, SIGTERM); its message says what was kept
/// and how to continue. The host prints it and exits with <see cref="ExitCodes.Interrupted"/>.
/// </summary>
public sealed class RunInterruptedException(string message) : OperationCanceledException(message);
