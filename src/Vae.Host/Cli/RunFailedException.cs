namespace Vae.Host.Cli;

/// <summary>
/// A run that failed for a reason other than its input (a diverging loss, a diverging benchmark). Its message is
/// one line saying what happened and what was kept; the host prints it and exits with <see cref="ExitCodes.Failure"/>.
/// </summary>
public class RunFailedException(string message) : Exception(message);
