using Vae.Host.Data;
using Vae.Host.Models;
using Vae.Host.Training;
using Vae.Model;

namespace Vae.Host.Experiments;

/// <summary>The dry run: every selected config with its state and the training time left, from measured step times.</summary>
public static class DryRun
{
    // Training images of digits 0-3 in the standard MNIST split (for estimates before the data is loaded).
    private const int MnistTrainImages = 24_754;

    /// <summary>Prints the configs of <paramref name="entries"/> in <paramref name="root"/> and the total time left.</summary>
    public static void Print(List<SweepEntry> entries, List<EntryState> states, string root, int hhTrain, TextWriter output)
    {
        NativeSetup.initialize();
        NativeSetup.reuseLargeAllocations();
        var stepTimes = new Dictionary<string, double>();
        double total = 0;
        output.WriteLine($"{entries.Count} configs in {root}:");
        for (var i = 0; i < entries.Count; i++)
        {
            var cfg = entries[i].Config;
            var (kind, features, train) = cfg.Dataset == "mnist" ? (DataKind.Images, 784, MnistTrainImages) : (DataKind.Traces, 5000, hhTrain);
            // The latent size hardly changes the step time: one measurement per architecture and batch size.
            var key = $"{cfg.Dataset}/{cfg.Model}/{cfg.BatchSize}";
            if (!stepTimes.TryGetValue(key, out var step))
                stepTimes[key] = step = ModelCatalog.With(cfg, kind, features, new StepTimer(cfg, kind, features, 5));
            var done = ExperimentState.EpochsDone(Path.Combine(root, entries[i].Name));
            var remaining = states[i] == EntryState.Complete ? 0 : (cfg.Epochs - done) * BatchOrder.BatchesPerEpoch(train, cfg.BatchSize) * step;
            total += remaining;
            output.WriteLine($"  {entries[i].Sweep,-13} {entries[i].Name,-28} {states[i],-8} {done}/{cfg.Epochs} epochs, {step * 1000:F0} ms/step, ~{Hours(remaining)}");
        }
        output.WriteLine($"estimated training time left: ~{Hours(total)} (steps only; evaluation adds a little per epoch)");
    }

    private static string Hours(double seconds) =>
        seconds < 3600 ? $"{seconds / 60:F0} min" : $"{seconds / 3600:F1} h";
}
