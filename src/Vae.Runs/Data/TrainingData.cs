using Vae.Runs.Settings;

namespace Vae.Runs.Data;

/// <summary>
/// A dataset as a run's model input: its training and test splits as sources of batches, scaled or binarized as the
/// run says, and where it came from. One case per kind of data, each owning its model-input transform and what is
/// specific to it: <see cref="HhTraces"/> (the run's scaling, conductances, time axis, mV) and
/// <see cref="MnistImages"/> (binarization, labels). The cases are the only ones: the constructor is not public.
/// </summary>
public abstract class TrainingData : IDisposable
{
    private protected TrainingData(ModelInputRows train, ModelInputRows test, string identity) =>
        (Train, Test, Identity) = (train, test, identity);

    /// <summary>The training split, served in batches.</summary>
    public ModelInputRows Train { get; }
    /// <summary>The test split, served in batches.</summary>
    public ModelInputRows Test { get; }
    /// <summary>Where the data came from, recorded in config.json.</summary>
    public string Identity { get; }
    /// <summary>Features per example.</summary>
    public int Features => Train.Features;
    /// <summary>Images or traces: what model construction needs to know of the data.</summary>
    public abstract DataKind Kind { get; }
    /// <summary>What a run records about this data in config.json.</summary>
    public abstract RecordedData Recorded { get; }
    /// <summary>What the examples are, in a word or two (e.g. <c>images</c>), for descriptions of decoded examples.</summary>
    public abstract string ExampleKind { get; }
    /// <summary>Where the examples are while the run uses them, in words for its log.</summary>
    public virtual string Where => "held in memory";

    /// <summary>Frees the splits.</summary>
    public virtual void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The config fields that <see cref="Load"/> reads, as one string: configs with equal keys load equal data, so
    /// callers that hold several runs' data load each dataset once.
    /// </summary>
    public static string SourceKey(TrainConfig cfg) =>
        $"{cfg.Dataset}|{cfg.HhData}|{cfg.HhProtocol}|{cfg.HhSeed}|{cfg.HhCount}|{cfg.Scaling}|{cfg.Threshold}|{string.Join(",", cfg.Digits)}";

    /// <summary>
    /// The data a config asks for as the run's model input, fetched or generated into the cache when needed. HH data
    /// is checked against and scaled as <paramref name="recorded"/> says: a run's own record, or
    /// <see cref="RecordedData.None"/> for a new run (dataset scaling then fits its map on the training split).
    /// </summary>
    public static TrainingData Load(TrainConfig cfg, string dataRoot, string? mnistDir, int threads, Action<string> log,
        CancellationToken cancel = default,
        RecordedData? recorded = null) =>
        cfg.Dataset == Dataset.Mnist
            ? MnistImages.Load(cfg, dataRoot, mnistDir, log)
            : HhTraces.Load(cfg, HhTraces.PathOf(cfg, dataRoot, threads, log, cancel), recorded ?? RecordedData.None);

    /// <summary>
    /// Another HH dataset file as the model input of the run with <paramref name="cfg"/> and <paramref name="recorded"/>
    /// (encode --data, analyze --data): scaled by the run's recorded map, with no content to match. A dataset-scaled run
    /// written before the map was recorded refits it on its own data, as training fitted it.
    /// </summary>
    public static HhTraces LoadOther(TrainConfig cfg, string otherHh, string dataRoot, int threads, Action<string> log, RecordedData recorded,
        CancellationToken cancel = default)
    {
        if (cfg.Dataset != Dataset.Hh)
            throw new UserInputException($"{otherHh} is HH data; a run trained on {cfg.Dataset} takes only its own data.");
        if (cfg.Scaling == ScalingMode.Dataset && recorded.Scaling is null)
        {
            using var ownFile = Vae.Simulation.Storage.HhStreamedFile.Open(HhTraces.PathOf(cfg, dataRoot, threads, log, cancel));
            recorded = recorded with { Scaling = HhModelInput.For(cfg, ownFile, recorded).Map };
        }
        var path = Path.GetFullPath(otherHh);
        return HhTraces.Load(cfg with { HhData = path }, path, recorded.ForOtherData());
    }
}
