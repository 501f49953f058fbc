using System.Diagnostics;
using System.Text.Json;

namespace Vae.Runs.Data;

/// <summary>
/// The lock file on disk behind a <see cref="FileLock"/>: creating it exclusively, reading its holder, judging
/// whether that holder is dead, and taking a stale file over inside a guard.
/// </summary>
internal static class LockFile
{
    // A takeover guard outlives its holder only if that process died within the few milliseconds it is held.
    private static readonly TimeSpan GuardStaleAfter = TimeSpan.FromMinutes(1);
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The content of a lock file held by <paramref name="holder"/>.</summary>
    internal static string Text(LockHolder holder) => JsonSerializer.Serialize(holder, Json);

    /// <summary>A new claim by this process.</summary>
    internal static LockHolder Me() =>
        new(Environment.MachineName, Environment.ProcessId, DateTime.UtcNow, Guid.NewGuid().ToString("N"));

    /// <summary>Creates the file at <paramref name="path"/> for <paramref name="me"/> if none exists; false when one does.</summary>
    internal static bool TryCreate(string path, LockHolder me)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var s = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                s.Write(System.Text.Encoding.UTF8.GetBytes(Text(me)));
                s.Flush(true);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
            catch (IOException) when (attempt < 3)
            {
                // The file existed when we tried and was released before we looked: try again.
            }
        }
    }

    // The holder (null when the file is being rewritten or is damaged) and the file's modification time (null
    // when there is no file).
    internal static (LockHolder? Holder, DateTime? Written) ReadHolder(string path)
    {
        try
        {
            var written = File.GetLastWriteTimeUtc(path);
            var text = File.ReadAllText(path);
            try
            {
                return (JsonSerializer.Deserialize<LockHolder>(text, Json), written);
            }
            catch (JsonException)
            {
                return (null, written);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, null);
        }
    }

    /// <summary>Whether the holder of a lock file written at <paramref name="written"/> is known to be dead.</summary>
    internal static bool IsStale(string path, LockHolder? holder, DateTime written, FileLock.Timing timing)
    {
        if (holder is not null && holder.Host == Environment.MachineName)
            return !IsRunning(holder);
        // Another host, or a file caught half-written: only the heartbeat can tell.
        return FileSystemNow(System.IO.Path.GetDirectoryName(path)!) - written > timing.StaleAfter;
    }

    private static bool IsRunning(LockHolder holder)
    {
        try
        {
            using var p = Process.GetProcessById(holder.Pid);
            // A process started after the lock was taken has reused a dead holder's pid.
            return !p.HasExited && p.StartTime.ToUniversalTime() <= holder.StartedUtc.AddSeconds(2);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The file system's current time in <paramref name="dir"/>: the modification time of a file written there now.</summary>
    private static DateTime FileSystemNow(string dir)
    {
        var probe = System.IO.Path.Combine(dir, $".clock-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(probe, "");
            return File.GetLastWriteTimeUtc(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DateTime.UtcNow;
        }
        finally
        {
            File.Delete(probe);
        }
    }

    // Replaces the stale lock of `stale` by `me` inside the guard; false when someone else got there first.
    internal static bool TakeOver(string path, LockHolder? stale, LockHolder me)
    {
        var guard = path + ".takeover";
        if (!TryCreate(guard, me))
        {
            var (_, at) = ReadHolder(guard);
            if (at is DateTime t && FileSystemNow(System.IO.Path.GetDirectoryName(path)!) - t > GuardStaleAfter)
                File.Delete(guard);
            return false;
        }
        try
        {
            // Still the same stale holder (not a fresh lock taken since we looked)?
            var (now, written) = ReadHolder(path);
            if (written is not null && now?.Token != stale?.Token)
                return false;
            File.Delete(path);
            return TryCreate(path, me);
        }
        finally
        {
            File.Delete(guard);
        }
    }
}
