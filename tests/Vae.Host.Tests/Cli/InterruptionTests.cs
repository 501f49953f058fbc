using System.Diagnostics;
using System.Runtime.InteropServices;
using Vae.Host.Cli;

namespace Vae.Host.Tests.Cli;

/// <summary>Real signals to a real host process: Ctrl+C (SIGINT) and SIGTERM stop a command cleanly.</summary>
public sealed class InterruptionTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-signal-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    // The host with `args`, its output and errors redirected. env restores the signals' default handling, which a
    // parent (a shell's background job, CI) may have set to ignore.
    private static Process StartHost(params string[] args) => StartHostWith(null, args);

    // The same with the system's temporary folder at `temp` (TMPDIR), when given.
    private static Process StartHostWith(string? temp, params string[] args)
    {
        var start = new ProcessStartInfo("env",
            ["--default-signal=INT,TERM", Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", typeof(HostCli).Assembly.Location,
            .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (temp is not null)
            start.Environment["TMPDIR"] = temp;
        return Process.Start(start)!;
    }

    [Theory]
    [InlineData("INT", 2)]
    [InlineData("TERM", 15)]
    public async Task A_signal_during_simulate_stops_it_with_exit_code_130_and_leaves_no_file(string name, int signal)
    {
        // About 15 s of simulation on one thread at these tolerances: the signal arrives in the middle of it.
        using var process = StartHost("simulate", "--n", "4000", "--threads", "1", "--rtol", "1e-12", "--atol", "1e-14", "--out",
            Path.Combine(_tmp, "x.h5"));
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await Task.Delay(2500);
        var sent = Kill(process.Id, signal);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(patience.Token);
        var (errors, output) = (await stderr, await stdout);
        var seen = $"SIG{name} sent: {sent} (errno {Marshal.GetLastPInvokeError()}); exit code {process.ExitCode}; {errors} {output}";
        Assert.True(sent == 0 && process.ExitCode == ExitCodes.Interrupted, seen);
        Assert.Contains($"SIG{name}: stopping at the next safe point", errors);
        Assert.Contains("error: interrupted", errors);
        Assert.DoesNotContain("   at ", errors);
        Assert.Empty(Directory.GetFileSystemEntries(_tmp));
    }

    [Fact]
    public async Task SIGTERM_to_reproduce_with_workers_stops_every_worker_at_a_safe_point_with_exit_code_130()
    {
        using var process = StartHost("reproduce", "--workers", "2", "--threads", "1", "--only", "hh-conv-z2-beta1,hh-conv-z10-beta1", "--epochs",
            "20",
            "--hh-count", "400", "--quiet", "--data-dir", Path.Combine(_tmp, "data"), "--out", Path.Combine(_tmp, "exp"));
        var stderr = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        // Both workers have started training before the signal.
        while (output.ToString().Split('\n').Count(l => l.Contains(": starting", StringComparison.Ordinal)) < 2
               && await process.StandardOutput.ReadLineAsync(patience.Token) is { } line)
            output.AppendLine(line);
        var errors = await TerminateWithTwoWorkers(process, stderr, output.ToString(), patience.Token);
        Assert.Contains("error: interrupted: the workers stopped at safe points; run the same command again to resume.", errors);
        // Each worker kept a resumable run and let go of its lock.
        Assert.Empty(Directory.GetFiles(Path.Combine(_tmp, "exp", "locks"), "hh-conv-*"));
    }

    [Fact]
    public async Task SIGTERM_to_bench_train_with_workers_stops_every_worker_with_exit_code_130_and_leaves_no_file()
    {
        var temp = Directory.CreateDirectory(Path.Combine(_tmp, "temp")).FullName;
        using var process = StartHostWith(temp, "bench-train", "--model", "conv1d-default", "--workers", "2", "--threads", "1", "--steps", "1000");
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (await process.StandardOutput.ReadLineAsync(patience.Token) is { } line && !line.Contains("side by side", StringComparison.Ordinal))
        {
        }
        // The workers have started and are making their data or training; unstopped, they would train for minutes.
        await Task.Delay(4000);
        var errors = await TerminateWithTwoWorkers(process, stderr, "", patience.Token);
        Assert.Contains("error: interrupted: the benchmark's workers stopped.", errors);
        // The workers' results folder is gone with them.
        Assert.Empty(Directory.GetFileSystemEntries(temp));
    }

    // SIGTERM to a host running two workers: it exits with 130, both workers got the signal, no stack trace.
    // Returns the host's errors.
    private static async Task<string> TerminateWithTwoWorkers(Process process, Task<string> stderr, string outputSoFar, CancellationToken patience)
    {
        var sent = Kill(process.Id, 15);
        var output = outputSoFar + await process.StandardOutput.ReadToEndAsync(patience);
        await process.WaitForExitAsync(patience);
        var errors = await stderr;
        var seen = $"SIGTERM sent: {sent}; exit code {process.ExitCode}; {errors} {output}";
        Assert.True(sent == 0 && process.ExitCode == ExitCodes.Interrupted, seen);
        foreach (var tag in new[] { "[worker 1/2]", "[worker 2/2]" })
            Assert.Contains($"{tag} SIGTERM: stopping at the next safe point.", errors);
        Assert.DoesNotContain("   at ", errors);
        return errors;
    }
}
