using Vae.Simulation.Storage;
using Vae.Runs.Settings;

namespace Vae.Runs.Data;

/// <summary>
/// An HH dataset as a run's model input: the traces scaled as the run says (<see cref="HhModelInput"/>: per trace as
/// the file stores them, or through the dataset-wide map), split as the file splits them, with the conductances
/// (gK, gNa) of each trace and the time axis for analysis and figures. The splits are held in memory
/// (<see cref="InMemoryRows"/>) or read from the file on demand (<see cref="SplitRows"/>), as <see cref="Residence"/> says.
/// </summary>
public sealed class HhTraces : TrainingData
{
    /// <summary>
    /// The file behind <paramref name="input"/> as a run's data: its training and test traces (file order within
    /// each split) as model input, described by <paramref name="identity"/>.
    /// </summary>
    public HhTraces(HhModelInput input, string identity) : this(input, identity, DataResidence.Memory)
    {
    }

    /// <summary>
    /// The same with the splits where <paramref name="residence"/> says: copied into memory, or read from
    /// <paramref name="input"/> a batch at a time (these data then own <paramref name="input"/> and close its file).
    /// </summary>
    public HhTraces(HhModelInput input, string identity, DataResidence residence)
        : base(Split(input, input.File.TrainIndices, residence), Split(input, input.File.TestIndices, residence), identity)
    {
        Traces = input;
        Residence = residence;
        TrainConductances = Conductances(input.File, input.File.TrainIndices);
        TestConductances = Conductances(input.File, input.File.TestIndices);
    }

    /// <summary>Every trace of the file in file order, both splits, as the run's model input (what encode writes).</summary>
    public HhModelInput Traces { get; }
    /// <summary>The dataset file: its path, conductances and split.</summary>
    public HhDatasetFile File => Traces.File;
    /// <summary>Whether the splits are held in memory or read from the file.</summary>
    public DataResidence Residence { get; }
    /// <summary>The dataset-wide map back to mV when the run scales so (<c>--scaling dataset</c>), else null.</summary>
    public TraceScaling? Map => Traces.Map;
    /// <summary>Sample times (ms).</summary>
    public double[] Time => File.Time;
    /// <summary>gK and gNa of each training trace.</summary>
    public (double GK, double GNa)[] TrainConductances { get; }
    /// <summary>gK and gNa of each test trace.</summary>
    public (double GK, double GNa)[] TestConductances { get; }

    /// <inheritdoc/>
    public override DataKind Kind => DataKind.Traces;
    /// <inheritdoc/>
    public override RecordedData Recorded => new(File.ContentHash, Map);
    /// <inheritdoc/>
    public override string ExampleKind => "traces in scaled units";
    /// <inheritdoc/>
    public override string Where => HhResidence.Describe(Residence);

    /// <inheritdoc/>
    public override void Dispose()
    {
        base.Dispose();
        Traces.Dispose();
    }

    /// <summary>
    /// Model-space values to mV: exactly through the dataset-wide map, or (per-trace scaling cannot be undone without
    /// the trace) approximately, through the training traces' mean minimum and maximum.
    /// </summary>
    public (Func<double, double> ToMillivolts, bool Exact) Millivolts()
    {
        if (Map is { } map)
            return (map.ToMillivolts, true);
        var train = File.TrainIndices;
        var (lo, hi) = (train.Average(i => File.RawMin[i]), train.Average(i => File.RawMax[i]));
        return (v => lo + v * (hi - lo), false);
    }

    /// <summary>
    /// log(mV per model unit) of each test trace, in the test split's order: the one conversion of a density of the
    /// model's input to one of the trace in mV, -log p_mV(trace) = -log p_model(x) + samples x this. Exact under the
    /// dataset-wide map (log of its scale for every trace); under per-trace scaling each trace's own log(max - min),
    /// so the density is of the trace given its own range.
    /// </summary>
    public double[] TestLogMillivoltsPerUnit() =>
        File.TestIndices.Select(i => Math.Log(Traces.MillivoltsPerUnit(i))).ToArray();

    /// <summary>The HH dataset file of a config: its own file, or the cache's (simulated first if absent).</summary>
    public static string PathOf(TrainConfig cfg, string dataRoot, int threads, Action<string> log, CancellationToken cancel = default) =>
        cfg.HhData ?? HhCache.Ensure(dataRoot, cfg.HhProtocol.Text, cfg.HhSeed, cfg.HhCount, threads, log, cancel);

    /// <summary>
    /// The file at <paramref name="path"/> as the input of a run with <paramref name="cfg"/>, checked and scaled as
    /// <paramref name="recorded"/> says, held where <paramref name="residence"/> says (default: <see cref="HhResidence.Chosen"/>).
    /// </summary>
    public static HhTraces Load(TrainConfig cfg, string path, RecordedData recorded, DataResidence? residence = null)
    {
        var where = residence ?? HhResidence.Chosen();
        // The file stays open either way; held in memory, the splits are read into tensors once (one copy of the traces).
        var file = HhStreamedFile.Open(path);
        HhModelInput input;
        try
        {
            input = HhModelInput.For(cfg, file, recorded);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        var (hh, map) = (input.File, input.Map);
        var scaled = map is null ? "" : $", scaled by one map: mV = x * {map.Scale:G6} + {map.Offset:G6}";
        return new HhTraces(input, $"hh {Path.GetFullPath(path)} (protocol {hh.Protocol}, seed {hh.Seed}, {hh.Count} traces: "
            + $"{hh.TrainIndices.Length} train, {hh.TestIndices.Length} test{scaled})", where);
    }

    private static ModelInputRows Split(HhModelInput input, int[] indices, DataResidence residence) =>
        residence == DataResidence.Memory ? new InMemoryRows(input.Rows(indices)) : new SplitRows(input, indices);

    private static (double GK, double GNa)[] Conductances(HhDatasetFile hh, int[] rows) =>
        rows.Select(i => (hh.Parameters[2 * i], hh.Parameters[2 * i + 1])).ToArray();
}
