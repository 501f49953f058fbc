using System.Globalization;

namespace Vae.Runs.Data;

/// <summary>Who holds a <see cref="FileLock"/>: host, process id, when it took the lock, and a token unique to the holder.</summary>
public sealed record LockHolder(string Host, int Pid, DateTime StartedUtc, string Token)
{
    /// <summary>A holder whose lock file could not be read yet (its writer is still writing it), seen at <paramref name="at"/>.</summary>
    public static LockHolder Unidentified(DateTime at) => new("?", 0, at, "");

    /// <summary>"host pid N since time", for messages.</summary>
    public override string ToString() => Pid == 0
        ? $"another process (its lock file was still being written at {Time(StartedUtc)} UTC)"
        : $"{Host} pid {Pid} since {Time(StartedUtc)} UTC";

    private static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
