namespace Vae.Runs.Data;

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
            var me = LockFile.Me();
            if (LockFile.TryCreate(path, me))
            {
                heldBy = null;
                return new FileLock(path, me, null, timing);
            }
            var (holder, written) = LockFile.ReadHolder(path);
            if (written is null)
                continue; // released meanwhile: try again
            if (!LockFile.IsStale(path, holder, written.Value, timing))
            {
                heldBy = holder ?? LockHolder.Unidentified(written.Value);
                return null;
            }
            if (LockFile.TakeOver(path, holder, me))
            {
                heldBy = null;
                return new FileLock(path, me, holder, timing);
            }
        }
        // The lock kept changing hands while we looked: someone else has it.
        var (last, at) = LockFile.ReadHolder(path);
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
        if (LockFile.ReadHolder(Path).Holder?.Token == Holder.Token)
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
                if (LockFile.ReadHolder(Path).Holder?.Token != Holder.Token)
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
    public static string Text(LockHolder holder) => LockFile.Text(holder);
}
