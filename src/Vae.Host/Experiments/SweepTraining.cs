using Vae.Host.Running;
using Vae.Runs;
using Vae.Runs.Data;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments;

/// <summary>How a sweep's training went: configs that stopped on a non-finite loss, and configs left to another process.</summary>
public sealed record SweepOutcome(int Failures, int Busy);

/// <summary>
/// Trains the configs of an experiment in turn: complete ones skipped, partial ones resumed. Safe to run in several
/// processes on one folder (array tasks on a shared file system, or a user rerunning while a task trains): each
/// config is trained under its own <see cref="FileLock"/>, and a config another live process holds is skipped.
/// </summary>
public static class SweepTraining
{
    /// <summary>
    /// Trains <paramref name="entries"/> into run folders of <paramref name="folder"/>, updating the results table
    /// of <paramref name="all"/> after each.
    /// </summary>
    public static SweepOutcome TrainAll(IReadOnlyList<SweepEntry> entries, ExperimentFolder folder, IReadOnlyList<SweepEntry> all,
        LaunchOptions options, TextWriter output, TextWriter error, FileLock.Timing? timing = null)
    {
        var (failures, busy) = (0, 0);
        for (var i = 0; i < entries.Count; i++)
        {
            var (e, run, tag) = (entries[i], folder.RunOf(entries[i].Name), $"[{i + 1}/{entries.Count}] {entries[i].Name}");
            using var held = FileLock.TryAcquire(folder.ConfigLock(e.Name), out var holder, timing);
            if (held is null)
            {
                output.WriteLine($"{tag}: being trained by {holder}, skipped");
                busy++;
                continue;
            }
            if (held.TookOverFrom is { } dead)
                output.WriteLine($"{tag}: the lock of {dead} is stale (process gone, or no heartbeat from its host), taken over");
            // Decided under the lock: another process may have finished the config since this one started.
            var state = ExperimentState.Of(run, e.Config);
            if (state == EntryState.Complete)
            {
                output.WriteLine($"{tag}: complete, skipped");
                continue;
            }
            output.WriteLine($"{tag}: {(state == EntryState.Partial ? "resuming" : "starting")}");
            try
            {
                // A new config's folder can only hold leftovers of a start that died before writing its config.
                var launch = options with { Force = state == EntryState.New && Directory.Exists(run) };
                RunLauncher.Launch(e.Config, state == EntryState.Partial ? RunFolder.Open(run) : null, run, launch);
            }
            catch (NonFiniteLossException ex)
            {
                error.WriteLine($"error: {e.Name}: {ex.Message}");
                failures++;
            }
            if (held.Lost)
                error.WriteLine($"warning: {e.Name}: another process judged this one's lock stale and took it over; "
                    + "compare its metrics with a fresh run.");
            WriteResults(folder, all, output.WriteLine);
        }
        return new SweepOutcome(failures, busy);
    }

    /// <summary>Writes the results table under the experiment's lock, so concurrent writers never interleave a stale view.</summary>
    public static void WriteResults(ExperimentFolder folder, IReadOnlyList<SweepEntry> all, Action<string> log)
    {
        using var held = FileLock.Acquire(folder.SharedFilesLock, log);
        ResultsTable.Write(folder, all);
    }
}
