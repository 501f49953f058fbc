using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Vae.Host.Cli;

namespace Vae.Host.Experiments;

/// <summary>
/// <c>reproduce --workers n</c>: n processes of this product side by side on one machine, each training its shard of
/// the experiment (<c>--shard i/n</c>, the same split every process computes), their output relayed line by line
/// under a <c>[worker i/n]</c> prefix. Several small processes use a few cores better than one process with all of
/// them: libtorch's threads of one process wait on each other between the many small operations of a step.
/// </summary>
public static class SweepWorkers
{
    /// <summary>Threads of each worker: <paramref name="threads"/> when given, else the cores shared out (at least one).</summary>
    public static int ThreadsEach(int workers, int? threads) => threads ?? Math.Max(1, Environment.ProcessorCount / workers);

    /// <summary>The output prefix of worker <paramref name="index"/> (1-based) of <paramref name="count"/>.</summary>
    public static string Tag(int index, int count) => $"[worker {index}/{count}]";

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private const int SigTerm = 15;

    /// <summary>
    /// Trains <paramref name="shards"/> (the experiment's plan split as <see cref="SweepPlan.Shards"/> does, which each
    /// worker repeats for its <c>--shard i/n</c>) in one worker each with <paramref name="threads"/> threads;
    /// <paramref name="options"/> are the experiment's reproduce options and selection. Workers with nothing to train
    /// are not started. A worker that failed is named on <paramref name="error"/> and counted as a failure; an
    /// interruption of this process or of a worker throws <see cref="RunInterruptedException"/> once all have stopped.
    /// </summary>
    public static SweepOutcome TrainShards(IReadOnlyList<List<PlannedConfig>> shards, IReadOnlyList<string> options, int threads,
        TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var started = Enumerable.Range(1, shards.Count).Where(i => shards[i - 1].Count > 0)
            .Select(i => (Tag(i, shards.Count), (IReadOnlyList<string>)["reproduce", .. options, "--shard", $"{i}/{shards.Count}",
                "--threads", threads.ToString(CultureInfo.InvariantCulture), "--no-report"]))
            .ToList();
        var codes = Run(started, output, error, cancel);
        if (cancel.IsCancellationRequested || codes.Contains(ExitCodes.Interrupted))
            throw new RunInterruptedException("interrupted: the workers stopped at safe points; run the same command again to resume.");
        for (var i = 0; i < codes.Length; i++)
            if (codes[i] != ExitCodes.Ok)
                error.WriteLine($"error: {started[i].Item1} exited with code {codes[i]} (its messages are above).");
        return new SweepOutcome(codes.Count(c => c != ExitCodes.Ok), 0);
    }

    /// <summary>
    /// Starts one process per worker (its output prefix and the product's arguments, e.g. <c>reproduce ... --shard 2/3</c>),
    /// relays their output and errors, and waits for all of them; returns their exit codes. On <paramref name="cancel"/>
    /// every worker still running gets SIGTERM and stops at its next safe point, as it would alone.
    /// </summary>
    private static int[] Run(IReadOnlyList<(string Tag, IReadOnlyList<string> Args)> workers, TextWriter output, TextWriter error, CancellationToken cancel)
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
