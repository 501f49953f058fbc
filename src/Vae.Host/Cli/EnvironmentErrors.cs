using Vae.Simulation.Storage;

namespace Vae.Host.Cli;

/// <summary>
/// Failures of the machine rather than of the run (a full disk, a read-only file system, no permission): bad
/// environment, reported as one line saying what to do, with exit code 2 like bad input.
/// </summary>
public static class EnvironmentErrors
{
    // EROFS as .NET reports it in IOException.HResult on Linux and macOS.
    private const int ReadOnlyFileSystem = 30;

    /// <summary>The one-line message for <paramref name="e"/> if it is an environment failure, else null.</summary>
    public static string? Describe(Exception e) => e switch
    {
        IOException io when DiskFull.Is(io) => $"no space left on the device ({io.Message}); {DiskFull.Remedy}.",
        IOException { HResult: ReadOnlyFileSystem } io =>
            $"the file system is read-only ({io.Message}); write to another folder.",
        UnauthorizedAccessException u =>
            $"permission denied ({u.Message}); write to a folder you may write in, or ask for access.",
        _ => null,
    };

}
