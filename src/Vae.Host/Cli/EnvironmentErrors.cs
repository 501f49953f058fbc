namespace Vae.Host.Cli;

/// <summary>
/// Failures of the machine rather than of the run (a full disk, a read-only file system, no permission): bad
/// environment, reported as one line saying what to do, with exit code 2 like bad input.
/// </summary>
public static class EnvironmentErrors
{
    // errno values as .NET reports them in IOException.HResult on Linux and macOS, and Windows' disk-full codes.
    private const int NoSpace = 28, ReadOnlyFileSystem = 30, QuotaExceededLinux = 122, QuotaExceededMac = 69;
    private const int WindowsDiskFull = unchecked((int)0x80070070), WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>The one-line message for <paramref name="e"/> if it is an environment failure, else null.</summary>
    public static string? Describe(Exception e) => e switch
    {
        IOException io when IsNoSpace(io) =>
            $"no space left on the device ({io.Message}); free some space or write to another disk, then run again.",
        IOException { HResult: ReadOnlyFileSystem } io =>
            $"the file system is read-only ({io.Message}); write to another folder.",
        UnauthorizedAccessException u =>
            $"permission denied ({u.Message}); write to a folder you may write in, or ask for access.",
        _ => null,
    };

    private static bool IsNoSpace(IOException e) =>
        e.HResult is NoSpace or QuotaExceededLinux or QuotaExceededMac or WindowsDiskFull or WindowsHandleDiskFull
        || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);
}
