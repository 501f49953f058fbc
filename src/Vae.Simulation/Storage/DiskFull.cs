namespace Vae.Simulation.Storage;

/// <summary>Whether a write failed because the disk (or the user's quota) is full, and what to do about it.</summary>
public static class DiskFull
{
    /// <summary>What to do, said after what failed.</summary>
    public const string Remedy = "free some space or write to another disk, then run again";

    // errno values as .NET reports them in IOException.HResult on Linux and macOS, and Windows' disk-full codes.
    private const int NoSpace = 28, QuotaExceededLinux = 122, QuotaExceededMac = 69;
    private const int WindowsDiskFull = unchecked((int)0x80070070), WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>True if <paramref name="e"/> says the disk or the quota is full.</summary>
    public static bool Is(IOException e) =>
        e.HResult is NoSpace or QuotaExceededLinux or QuotaExceededMac or WindowsDiskFull or WindowsHandleDiskFull
        || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);
}
