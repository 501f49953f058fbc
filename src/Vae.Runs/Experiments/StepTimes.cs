using Vae.Runs;
using System.Globalization;
using Vae.Runs.Data;
using Vae.Simulation.Storage;
using Vae.Runs.Models;
using Vae.Runs.Training;
using Vae.Model;
using Vae.Runs.Settings;

namespace Vae.Runs.Experiments;

/// <summary>
/// Measured training-step times, one per dataset, architecture and batch size (the latent size hardly changes
/// them). Stored in the experiment folder the first time they are needed there, so that every process (array
/// tasks on other hosts included) estimates, and so shards, the same way.
/// </summary>
public static class StepTimes
{
    /// <summary>
    /// Steps timed per measurement. Five gave 69-106 ms for the same HH Conv step on an idle 2-core machine; the
    /// mean of 20 after three warm-up steps costs a few seconds per model and varies far less.
    /// </summary>
    public const int TimedSteps = 20;

    /// <summary>The measurement a config shares with others of its dataset, model and batch size.</summary>
    public static string Key(TrainConfig cfg) => $"{cfg.Dataset}/{cfg.Model}/{cfg.BatchSize}";

    /// <summary>
    /// Every entry of <paramref name="entries"/> with its seconds per step, in order: read from the experiment's file
    /// when it has them, the rest measured; with <paramref name="store"/>, the measured ones are added to the file
    /// (first writer wins: times already stored are never changed).
    /// </summary>
    public static List<TimedEntry> For(IEnumerable<SweepEntry> entries, ExperimentFolder folder, bool store, Action<string> log)
    {
        var list = entries.ToList();
        var all = Known(list.Select(e => e.Config).ToList(), folder, store, log);
        return [.. list.Select(e => new TimedEntry(e, all[Key(e.Config)]))];
    }

    // The step times of the configs by key, every config's among them.
    private static Dictionary<string, double> Known(List<TrainConfig> configs, ExperimentFolder folder, bool store, Action<string> log)
    {
        if (!store)
            return Measure(configs, Read(folder.StepTimes));
        Directory.CreateDirectory(folder.Root);
        using var held = FileLock.Acquire(folder.SharedFilesLock, log);
        var known = Read(folder.StepTimes);
        var all = Measure(configs, known);
        if (all.Count > known.Count)
            AtomicFile.WriteAllText(folder.StepTimes, "key,seconds_per_step\n"
                + string.Concat(all.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select(kv => $"{kv.Key},{kv.Value.ToString("R", CultureInfo.InvariantCulture)}\n")),
                createFolder: true);
        return all;
    }

    private static Dictionary<string, double> Read(string path)
    {
        var times = new Dictionary<string, double>();
        if (!File.Exists(path))
            return times;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var cells = line.Split(',');
            if (cells.Length != 2 || !double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s <= 0)
                throw new UserInputException($"{path} has a bad line '{line}'; delete the file to measure the step times again.");
            times[cells[0]] = s;
        }
        return times;
    }

    private static Dictionary<string, double> Measure(List<TrainConfig> configs, Dictionary<string, double> known)
    {
        var times = new Dictionary<string, double>(known);
        foreach (var cfg in configs)
        {
            var key = Key(cfg);
            if (times.ContainsKey(key))
                continue;
            NativeSetup.initialize();
            NativeSetup.reuseLargeAllocations();
            var (kind, features) = SweepPlan.Shape(cfg);
            times[key] = StepTimer.MeanSeconds(cfg, kind, features, TimedSteps);
        }
        return times;
    }
}
