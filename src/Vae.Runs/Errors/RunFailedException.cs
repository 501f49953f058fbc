namespace Vae.Runs;

/// <summary>
/// A run that failed for a reason other than its input (a diverging loss, a diverging benchmark). Its message is
/// one line saying what happened and what was kept; the command line prints it and exits with 1.
/// </summary>
public class RunFailedException(string message) : Exception(message);
