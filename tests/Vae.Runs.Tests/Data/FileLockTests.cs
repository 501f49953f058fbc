using System.Diagnostics;
using Vae.Runs.Data;

namespace Vae.Runs.Tests.Data;

/// <summary>The file lock: exclusive while its holder lives, taken over once the holder is dead or silent.</summary>
public sealed class FileLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fvae-lock-").FullName;
    private string LockPath => Path.Combine(_dir, "x.lock");

    public void Dispose() => Directory.Delete(_dir, true);

    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    private void WriteClaim(string host, int pid, DateTime started, DateTime? written = null)
    {
        File.WriteAllText(LockPath, FileLock.Text(new LockHolder(host, pid, started, "theirs")));
        if (written is DateTime w)
            File.SetLastWriteTimeUtc(LockPath, w);
    }

    [Fact]
    public void A_held_lock_is_refused_naming_its_holder_and_free_again_once_released()
    {
        using (var first = FileLock.TryAcquire(LockPath, out _))
        {
            Assert.NotNull(first);
            Assert.Null(FileLock.TryAcquire(LockPath, out var holder));
            Assert.Equal(first!.Holder, holder);
            Assert.Equal((Environment.MachineName, Environment.ProcessId), (holder!.Host, holder.Pid));
        }
        Assert.False(File.Exists(LockPath));
        using var again = FileLock.TryAcquire(LockPath, out _);
        Assert.NotNull(again);
        Assert.Null(again!.TookOverFrom);
    }

    [Fact]
    public void A_lock_file_still_being_written_holds_and_is_named_as_such_not_as_a_pid()
    {
        File.WriteAllText(LockPath, "");
        Assert.Null(FileLock.TryAcquire(LockPath, out var holder));
        Assert.StartsWith("another process (its lock file was still being written at ", holder!.ToString());
    }

    [Fact]
    public void A_lock_of_a_dead_process_on_this_host_is_taken_over()
    {
        var pid = DeadPid();
        WriteClaim(Environment.MachineName, pid, DateTime.UtcNow.AddSeconds(-5));
        using var taken = FileLock.TryAcquire(LockPath, out _);
        Assert.NotNull(taken);
        Assert.Equal(pid, taken!.TookOverFrom!.Pid);
        Assert.Contains(taken.Holder.Token, File.ReadAllText(LockPath));
    }

    [Fact]
    public void A_pid_reused_by_a_newer_process_does_not_keep_a_lock()
    {
        // This process started after 2001: it cannot be the holder that took the lock then.
        WriteClaim(Environment.MachineName, Environment.ProcessId, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        using var taken = FileLock.TryAcquire(LockPath, out _);
        Assert.NotNull(taken);
    }

    [Fact]
    public void Another_hosts_lock_holds_while_its_heartbeat_is_fresh_and_is_taken_over_when_silent()
    {
        WriteClaim("node-elsewhere", 4242, DateTime.UtcNow.AddHours(-3));
        Assert.Null(FileLock.TryAcquire(LockPath, out var holder));
        Assert.Equal("node-elsewhere", holder!.Host);

        File.SetLastWriteTimeUtc(LockPath, DateTime.UtcNow - FileLock.Timing.Default.StaleAfter - TimeSpan.FromMinutes(1));
        using var taken = FileLock.TryAcquire(LockPath, out _);
        Assert.NotNull(taken);
        Assert.Equal("node-elsewhere", taken!.TookOverFrom!.Host);
    }

    [Fact]
    public void The_heartbeat_refreshes_the_file_and_notices_when_another_process_took_the_lock()
    {
        var timing = new FileLock.Timing(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));
        var held = FileLock.TryAcquire(LockPath, out _, timing)!;
        var old = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(LockPath, old);
        Assert.True(SpinWait.SpinUntil(() => File.GetLastWriteTimeUtc(LockPath) > old.AddMinutes(30), 5000));

        WriteClaim("node-elsewhere", 1, DateTime.UtcNow);
        Assert.True(SpinWait.SpinUntil(() => held.Lost, 5000));
        held.Dispose();
        Assert.Contains("node-elsewhere", File.ReadAllText(LockPath)); // the new holder's lock is left alone
    }

    [Fact]
    public void Of_many_racing_for_one_stale_lock_exactly_one_wins()
    {
        WriteClaim(Environment.MachineName, DeadPid(), DateTime.UtcNow.AddSeconds(-5));
        using var start = new Barrier(8);
        var results = new FileLock?[8];
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = FileLock.TryAcquire(LockPath, out _);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var won = results.Where(l => l is not null).ToList();
        Assert.Single(won);
        won[0]!.Dispose();
    }

    [Fact]
    public async Task Waiting_takes_the_lock_once_the_holder_releases_it()
    {
        var first = FileLock.TryAcquire(LockPath, out _)!;
        // The waiter says it waits before it waits: the test goes on when it has said so, not after a guessed delay.
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = Task.Run(() => FileLock.Acquire(LockPath, line =>
        {
            if (line.StartsWith("waiting for", StringComparison.Ordinal))
                waiting.TrySetResult();
        }));
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(waiter.IsCompleted);
        first.Dispose();
        using var second = await waiter.WaitAsync(TimeSpan.FromSeconds(60));
    }
}
