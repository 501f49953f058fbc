using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Vae.Host.Data;

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

/// <summary>
/// An exclusive lock held as a file (created with O_EXCL, which local file systems and NFS v3+ honour), safe
/// between processes on one host and between hosts on a shared file system. The file records the holder
/// (<see cref="LockHolder"/>); the holder rewrites it every <see cref="Timing.Heartbeat"/> from a timer.
/// A lock is stale, and is taken over, when its holder is known to be dead: on the same host, when its pid is
/// not running (or is a newer process that reused the pid); from another host, whose pids cannot be checked,
/// when the file has not been rewritten for <see cref="Timing.StaleAfter"/>, measured on the file system's own
/// clock (the modification time of a file this process has just written there), so clock skew between hosts
/// does not matter. A takeover happens inside a short guard (a second O_EXCL file), so two processes never both
/// take over one stale lock.
/// </summary>
public sealed class FileLock : IDisposable
{
    /// <summary>How often the holder refreshes the lock, and after how long without a refresh another host may take it.</summary>
    public sealed record Timing(TimeSpan Heartbeat, TimeSpan StaleAfter)
    {
        /// <summary>A refresh every 30 s; stale after 10 minutes, far beyond a refresh delayed by a busy file server.</summary>
        public static readonly Timing Default = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
    }

    // A takeover guard outlives its holder only if that process died within the few milliseconds it is held.
    private static readonly TimeSpan GuardStaleAfter = TimeSpan.FromMinutes(1);
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly Timer _heartbeat;
    private readonly object _gate = new();
    private bool _released;

    /// <summary>The lock file.</summary>
    public string Path { get; }
    /// <summary>This process's claim, as written in the file.</summary>
    public LockHolder Holder { get; }
    /// <summary>The holder whose stale lock this one replaced, or null when the lock was free.</summary>
    public LockHolder? TookOverFrom { get; }
    /// <summary>True once the heartbeat found another holder's token in the file (this lock was judged stale and taken).</summary>
    public bool Lost { get; private set; }

    private FileLock(string path, LockHolder holder, LockHolder? tookOverFrom, Timing timing)
    {
        Path = path;
        Holder = holder;
        TookOverFrom = tookOverFrom;
        _heartbeat = new Timer(_ => Refresh(), null, timing.Heartbeat, timing.Heartbeat);
    }

    /// <summary>
    /// Takes the lock at <paramref name="path"/> if it is free or stale; otherwise returns null and the live
    /// holder in <paramref name="heldBy"/>.
    /// </summary>
    public static FileLock? TryAcquire(string path, out LockHolder? heldBy, Timing? timing = null)
    {
        timing ??= Timing.Default;
        path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var me = Me();
            if (TryCreate(path, me))
            {
                heldBy = null;
                return new FileLock(path, me, null, timing);
            }
            var (holder, written) = ReadHolder(path);
            if (written is null)
                continue; // released meanwhile: try again
            if (!IsStale(path, holder, written.Value, timing))
            {
                heldBy = holder ?? LockHolder.Unidentified(written.Value);
                return null;
            }
            if (TakeOver(path, holder, me))
            {
                heldBy = null;
                return new FileLock(path, me, holder, timing);
            }
        }
        // The lock kept changing hands while we looked: someone else has it.
        var (last, at) = ReadHolder(path);
        heldBy = last ?? LockHolder.Unidentified(at ?? DateTime.UtcNow);
        return null;
    }

    /// <summary>
    /// Waits until the lock at <paramref name="path"/> is free or stale and takes it, telling
    /// <paramref name="log"/> once whom it waits for (for short jobs that others need done once, e.g. filling a cache).
    /// </summary>
    public static FileLock Acquire(string path, Action<string> log, Timing? timing = null, CancellationToken cancel = default)
    {
        var told = false;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var held = TryAcquire(path, out var holder, timing);
            if (held is not null)
                return held;
            if (!told)
                log($"waiting for {holder} ({path})");
            told = true;
            cancel.WaitHandle.WaitOne(200);
        }
    }

    /// <summary>Stops the heartbeat and removes the lock file if it is still this holder's.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_released)
                return;
            _released = true;
        }
        _heartbeat.Dispose();
        if (ReadHolder(Path).Holder?.Token == Holder.Token)
            File.Delete(Path);
    }

    private void Refresh()
    {
        lock (_gate)
        {
            if (_released || Lost)
                return;
            try
            {
                if (ReadHolder(Path).Holder?.Token != Holder.Token)
                {
                    Lost = true;
                    return;
                }
                File.WriteAllText(Path, Text(Holder));
            }
            catch (IOException)
            {
                // A file server hiccup: the next beat tries again, well within the staleness timeout.
            }
        }
    }

    /// <summary>The content of a lock file held by <paramref name="holder"/>.</summary>
    public static string Text(LockHolder holder) => JsonSerializer.Serialize(holder, Json);

    private static LockHolder Me() =>
        new(Environment.MachineName, Environment.ProcessId, DateTime.UtcNow, Guid.NewGuid().ToString("N"));

    private static bool TryCreate(string path, LockHolder me)
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
    private static (LockHolder? Holder, DateTime? Written) ReadHolder(string path)
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

    private static bool IsStale(string path, LockHolder? holder, DateTime written, Timing timing)
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
    private static bool TakeOver(string path, LockHolder? stale, LockHolder me)
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
