using TorchSharp;
using Vae.Runs.Training;
using Vae.Simulation.Storage;
using static TorchSharp.torch;

namespace Vae.Runs.Data;

/// <summary>What the examples are: square binary images, or voltage traces on a time axis.</summary>
public enum DataKind
{
    /// <summary>Binarized images, flat [side*side].</summary>
    Images,
    /// <summary>Scaled traces (per trace or dataset-wide, see <see cref="TraceScaling"/>), flat [samples].</summary>
    Traces,
}

/// <summary>
/// A training set and a test set as float32 tensors [n, features] in memory, with what the figures need:
/// image side or time axis, and per-test-example labels (digit) or conductances (gK, gNa) to colour latents.
/// </summary>
public sealed class TrainingData(DataKind kind, Tensor train, Tensor test, string identity) : IDisposable
{
    /// <summary>Images or traces.</summary>
    public DataKind Kind { get; } = kind;
    /// <summary>Training examples [n, features].</summary>
    public Tensor Train { get; } = train;
    /// <summary>Test examples [n, features].</summary>
    public Tensor Test { get; } = test;
    /// <summary>Where the data came from, recorded in config.json.</summary>
    public string Identity { get; } = identity;
    /// <summary>Features per example.</summary>
    public int Features => (int)Train.shape[1];
    /// <summary>Image side for images.</summary>
    public int ImageSide { get; init; }
    /// <summary>Sample times (ms) for traces.</summary>
    public double[] Time { get; init; } = [];
    /// <summary>Digit label of each test image.</summary>
    public int[] TestLabels { get; init; } = [];
    /// <summary>Digit label of each training image.</summary>
    public int[] TrainLabels { get; init; } = [];
    /// <summary>The HDF5 file of HH data (null for MNIST).</summary>
    public string? HhPath { get; init; }
    /// <summary>The dataset-wide map back to mV when the run scales so (<c>--scaling dataset</c>), else null.</summary>
    public TraceScaling? Scaling { get; init; }
    /// <summary>The HH dataset's content hash (null for MNIST).</summary>
    public string? ContentHash { get; init; }
    /// <summary>What a run records about this data in config.json.</summary>
    public RecordedData Recorded => new(ContentHash, Scaling);
    /// <summary>gK and gNa of each test trace.</summary>
    public (double GK, double GNa)[] TestConductances { get; init; } = [];
    /// <summary>gK and gNa of each training trace.</summary>
    public (double GK, double GNa)[] TrainConductances { get; init; } = [];

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }

    /// <summary>
    /// The config fields that <see cref="Load"/> reads, as one string: configs with equal keys load equal data, so
    /// callers that hold several runs' data load each dataset once.
    /// </summary>
    public static string SourceKey(TrainConfig cfg) =>
        $"{cfg.Dataset}|{cfg.HhData}|{cfg.HhProtocol}|{cfg.HhSeed}|{cfg.HhCount}|{cfg.Scaling}|{cfg.Threshold}|{string.Join(",", cfg.Digits)}";

    /// <summary>
    /// Loads the data a config asks for, fetching or generating it into the cache when needed. HH data is checked
    /// against and scaled as <paramref name="recorded"/> says (<see cref="HhModelInput"/>): a run's own record, or
    /// <see cref="RecordedData.None"/> for a new run.
    /// </summary>
    public static TrainingData Load(TrainConfig cfg, string dataRoot, string? mnistDir, int threads, Action<string> log, CancellationToken cancel = default,
        RecordedData? recorded = null) =>
        cfg.Dataset == Dataset.Mnist ? LoadMnist(cfg, dataRoot, mnistDir, log) : LoadHh(cfg, dataRoot, threads, log, cancel, recorded ?? RecordedData.None);

    private static TrainingData LoadMnist(TrainConfig cfg, string dataRoot, string? mnistDir, Action<string> log)
    {
        var folder = MnistFetcher.Standard(log).Ensure(dataRoot, mnistDir);
        var data = MnistDataset.Load(folder, cfg.Digits, cfg.Threshold);
        if (data.Train.Rows != data.Train.Cols)
            throw new InvalidDataException($"MNIST images must be square, got {data.Train.Rows}x{data.Train.Cols}");
        Tensor ToTensor(MnistSplit s) => tensor(s.Pixels, [s.Count, s.Size], ScalarType.Float32);
        return new TrainingData(DataKind.Images, ToTensor(data.Train), ToTensor(data.Test),
            $"mnist digits {string.Join(",", cfg.Digits)}, threshold {cfg.Threshold}, {folder} (SHA-256 verified)")
        {
            ImageSide = data.Train.Rows,
            TestLabels = data.Test.Labels.Select(l => (int)l).ToArray(),
            TrainLabels = data.Train.Labels.Select(l => (int)l).ToArray(),
        };
    }

    private static TrainingData LoadHh(TrainConfig cfg, string dataRoot, int threads, Action<string> log, CancellationToken cancel, RecordedData recorded)
    {
        var path = cfg.HhData ?? HhCache.Ensure(dataRoot, cfg.HhProtocol.Text, cfg.HhSeed, cfg.HhCount, threads, log, cancel);
        var input = HhModelInput.For(cfg, HhFile.Read(path), recorded);
        var (hh, scaling) = (input.File, input.Map);
        var (train, test) = (hh.TrainIndices, hh.TestIndices);
        Tensor Select(int[] idx) => input.Rows(idx);
        var scaled = scaling is null ? "" : $", scaled by one map: mV = x * {scaling.Scale:G6} + {scaling.Offset:G6}";
        return new TrainingData(DataKind.Traces, Select(train), Select(test),
            $"hh {Path.GetFullPath(path)} (protocol {hh.Protocol}, seed {hh.Seed}, {hh.Count} traces: {train.Length} train, {test.Length} test{scaled})")
        {
            Time = hh.Time,
            HhPath = Path.GetFullPath(path),
            Scaling = scaling,
            ContentHash = hh.ContentHash,
            TestConductances = test.Select(i => (hh.Parameters[2 * i], hh.Parameters[2 * i + 1])).ToArray(),
            TrainConductances = train.Select(i => (hh.Parameters[2 * i], hh.Parameters[2 * i + 1])).ToArray(),
        };
    }
}
