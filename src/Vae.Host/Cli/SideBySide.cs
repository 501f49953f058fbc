using Vae.Runs;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Vae.Host.Cli;

/// <summary>
/// Processes of this product side by side on one machine (<c>reproduce run --workers</c>, <c>bench-train --workers</c>):
/// started together, their output and errors relayed line by line under a tag, stopped together.
/// </summary>
public static class SideBySide
{
    /// <summary>The output tag of worker <paramref name="index"/> (1-based) of <paramref name="count"/>.</summary>
    public static string Tag(int index, int count) => $"[worker {index}/{count}]";

    /// <summary>Threads of each worker: <paramref name="threads"/> when given, else the cores shared out (at least one).</summary>
    public static int ThreadsEach(int workers, int? threads) => threads ?? Math.Max(1, Environment.ProcessorCount / workers);

    /// <summary>Warns on <paramref name="error"/> when the workers' threads together outnumber the cores.</summary>
    public static void WarnIfOversubscribed(int workers, int threads, TextWriter error)
    {
        if (workers * threads > Environment.ProcessorCount)
            error.WriteLine($"warning: {workers} workers x {threads} threads = {workers * threads} threads on {Environment.ProcessorCount} cores: "
                + "the workers will slow each other down; lower --threads or --workers.");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private const int SigTerm = 15;

    /// <summary>
    /// Starts one process per worker (its tag and the product's arguments, e.g. <c>reproduce shard 2/3 ...</c>),
    /// relays their output to <paramref name="output"/> and their errors to <paramref name="error"/>, and waits for
    /// all of them; returns their exit codes. On <paramref name="cancel"/> every worker still running gets SIGTERM
    /// and stops at its next safe point, as it would alone.
    /// </summary>
    public static int[] Run(
        IReadOnlyList<(string Tag, IReadOnlyList<string> Args)> workers, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var product = ProductCommand.Current();
        var gate = new object();
        var running = new List<Process>();
        void Stop()
        {
            // Windows has no SIGTERM; there a console's Ctrl+C already reaches every worker.
            if (OperatingSystem.IsWindows())
                return;
            lock (running)
                foreach (var p in running)
                    if (!p.HasExited)
                        Kill(p.Id, SigTerm);
        }
        using var onCancel = cancel.Register(Stop);
        try
        {
            foreach (var (tag, args) in workers)
            {
                var start = new ProcessStartInfo(product[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var a in product.Skip(1).Concat(args))
                    start.ArgumentList.Add(a);
                start.Environment[Interruption.WorkerVariable] = tag;
                var p = new Process { StartInfo = start };
                p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.WriteLine($"{tag} {e.Data}"); };
                p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) error.WriteLine($"{tag} {e.Data}"); };
                try
                {
                    p.Start();
                }
                catch (Win32Exception e)
                {
                    throw new RunFailedException($"could not start {tag} ({product[0]}): {e.Message}");
                }
                lock (running)
                    running.Add(p);
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
                if (cancel.IsCancellationRequested)
                    Stop();
            }
        }
        catch
        {
            Stop();
            WaitAll(running);
            throw;
        }
        WaitAll(running);
        var codes = running.Select(p => p.ExitCode).ToArray();
        foreach (var p in running)
            p.Dispose();
        return codes;
    }

    // WaitForExit() without a timeout also waits until the relayed output has been read to its end.
    private static void WaitAll(List<Process> processes)
    {
        foreach (var p in processes)
            p.WaitForExit();
    }
}
