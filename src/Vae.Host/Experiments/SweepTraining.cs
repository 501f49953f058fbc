using Vae.Host.Persistence;
using Vae.Host.Training;


namespace Vae.Host.Experiments;

/// <summary>Trains the configs of an experiment in turn: complete ones skipped, partial ones resumed.</summary>
public static class SweepTraining
{
    /// <summary>
    /// Trains <paramref name="entries"/> (whose states are <paramref name="states"/>) into run folders under
    /// <paramref name="root"/>, updating the results table of <paramref name="all"/> after each; returns how many
    /// stopped on a non-finite loss.
    /// </summary>
    public static int TrainAll(List<SweepEntry> entries, List<EntryState> states, string root, IReadOnlyList<SweepEntry> all,
        LaunchOptions options, TextWriter output, TextWriter error)
    {
        var failures = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var (e, folder) = (entries[i], Path.Combine(root, entries[i].Name));
            if (states[i] == EntryState.Complete)
            {
                output.WriteLine($"[{i + 1}/{entries.Count}] {e.Name}: complete, skipped");
                continue;
            }
            output.WriteLine($"[{i + 1}/{entries.Count}] {e.Name}: {(states[i] == EntryState.Partial ? "resuming" : "starting")}");
            try
            {
                RunLauncher.Launch(e.Config, states[i] == EntryState.Partial ? RunFolder.Open(folder) : null, folder, options, output);
            }
            catch (NonFiniteLossException ex)
            {
                error.WriteLine($"error: {e.Name}: {ex.Message}");
                failures++;
            }
            ResultsTable.Write(root, all);
        }
        return failures;
    }
}
