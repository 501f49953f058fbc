using Vae.Runs.Data;
using Vae.Runs.Training;
using Vae.Runs.Settings;

namespace Vae.Runs.Experiments;

/// <summary>A selected config with its state and time estimates.</summary>
/// <param name="Entry">The config.</param>
/// <param name="State">Where its run stands.</param>
/// <param name="EpochsDone">Epochs already in its metrics.</param>
/// <param name="StepSeconds">Measured seconds per training step.</param>
/// <param name="TotalSeconds">Estimated training time of all its epochs (what shards are balanced by: it does not change as runs progress).</param>
/// <param name="RemainingSeconds">Estimated training time of the epochs left (0 when complete).</param>
public sealed record PlannedConfig(
    SweepEntry Entry, EntryState State, int EpochsDone, double StepSeconds, double TotalSeconds, double RemainingSeconds);

/// <summary>A selected config with its measured seconds per training step (<see cref="StepTimes.For"/>).</summary>
/// <param name="Entry">The config.</param>
/// <param name="SecondsPerStep">Measured seconds per training step.</param>
public sealed record TimedEntry(SweepEntry Entry, double SecondsPerStep);

/// <summary>The selected configs of an experiment with their states and estimated training times (steps only).</summary>
public static class SweepPlan
{
    // Training images of digits 0-3 in the standard MNIST split (for estimates before the data is loaded).
    private const int MnistTrainImages = 24_754;
    // Samples per HH trace.
    private const int TraceLength = 5000;

    /// <summary>The data kind and example size of a config's dataset, as its model sees them.</summary>
    public static (DataKind Kind, int Features) Shape(TrainConfig cfg) =>
        cfg.Dataset == Dataset.Mnist ? (DataKind.Images, 784) : (DataKind.Traces, TraceLength);

    /// <summary>
    /// Plans the timed entries <paramref name="timed"/> in <paramref name="folder"/>; <paramref name="hhTrain"/> is the
    /// number of HH training traces.
    /// </summary>
    public static List<PlannedConfig> Of(IEnumerable<TimedEntry> timed, ExperimentFolder folder, int hhTrain) =>
        timed.Select(t =>
        {
            var (e, step) = (t.Entry, t.SecondsPerStep);
            var run = folder.RunOf(e.Name);
            var state = ExperimentState.Of(run, e.Config);
            var done = ExperimentState.EpochsDone(run);
            var train = e.Config.Dataset == Dataset.Mnist ? MnistTrainImages : hhTrain;
            var perEpoch = BatchOrder.BatchesPerEpoch(train, e.Config.BatchSize) * step;
            var remaining = state == EntryState.Complete ? 0 : Math.Max(0, e.Config.Epochs - done) * perEpoch;
            return new PlannedConfig(e, state, done, step, e.Config.Epochs * perEpoch, remaining);
        }).ToList();

    /// <summary>
    /// Part <paramref name="shard"/> of <paramref name="plan"/>, balanced by <see cref="PlannedConfig.TotalSeconds"/>,
    /// which does not change as runs progress: every process (array tasks, workers and their launcher) splits alike.
    /// </summary>
    public static List<PlannedConfig> ShardOf(IReadOnlyList<PlannedConfig> plan, Shard shard) => shard.Of(plan, c => c.TotalSeconds);

    /// <summary>All <paramref name="count"/> parts of <paramref name="plan"/>, part i at index i - 1 (see <see cref="ShardOf"/>).</summary>
    public static List<List<PlannedConfig>> Shards(IReadOnlyList<PlannedConfig> plan, int count) =>
        Enumerable.Range(1, count).Select(i => ShardOf(plan, new Shard(i, count))).ToList();
}
