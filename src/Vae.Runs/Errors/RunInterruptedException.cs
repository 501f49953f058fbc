namespace Vae.Runs;

/// <summary>
/// A command stopped at a safe point because it was interrupted (Ctrl+C, SIGTERM); its message says what was kept
/// and how to continue. The command line prints it and exits with 130.
/// </summary>
public sealed class RunInterruptedException(string message) : OperationCanceledException(message);
