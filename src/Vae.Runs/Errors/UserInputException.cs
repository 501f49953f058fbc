namespace Vae.Runs;

/// <summary>
/// A problem with what the user asked for. Its message is one line naming the problem and what to do;
/// the command line prints it without a stack trace and exits with 2.
/// </summary>
public sealed class UserInputException(string message) : Exception(message);
