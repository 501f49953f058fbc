using System.Text.Json;
using System.Text.Json.Serialization;
using Vae.Model;

namespace Vae.Runs.Training;

/// <summary>
/// Every setting of a training run, with the defaults in one place. Serialized as the run's
/// <c>config.json</c>; a run is reproduced from it alone.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>The datasets a run can train on.</summary>
    public static readonly string[] Datasets = ["hh", "mnist"];
    /// <summary>The encoder/decoder families.</summary>
    public static readonly string[] Models = ["mlp", "dnn", "conv"];
    /// <summary>The protocols of a generated HH dataset.</summary>
    public static readonly string[] HhProtocols = ["report", "seed-code"];

    /// <summary>Training data: <c>hh</c> or <c>mnist</c>.</summary>
    public string Dataset { get; init; } = "hh";
    /// <summary>Encoder/decoder family: <c>mlp</c>, <c>dnn</c> or <c>conv</c>.</summary>
    public string Model { get; init; } = "conv";
    /// <summary>Latent dimensions.</summary>
    public int LatentDim { get; init; } = 2;
    /// <summary>KL weight.</summary>
    public double Beta { get; init; } = 1.0;
    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Initial learning rate of the cosine schedule.</summary>
    public double LearningRate { get; init; } = Schedule.StudyInitial;
    /// <summary>Final learning rate as a fraction of the initial one.</summary>
    public double FinalLrFraction { get; init; } = Schedule.StudyAlpha;
    /// <summary>Exponent of the cosine schedule.</summary>
    public double ScheduleExponent { get; init; } = Schedule.StudyExponent;
    /// <summary>Decoupled weight decay (multiplied by the learning rate).</summary>
    public double WeightDecay { get; init; } = Nadamw.Config.Defaults.WeightDecay;
    /// <summary>Element-wise gradient clip before the update; 0 for none.</summary>
    public double GradClip { get; init; } = Nadamw.Config.Defaults.Clip.Value;
    /// <summary>Master seed; every random choice derives from it (see <see cref="Seeds"/>).</summary>
    public long Seed { get; init; }
    /// <summary>Batch order across epochs.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ShuffleMode>))]
    public ShuffleMode Shuffle { get; init; } = ShuffleMode.Epoch;
    /// <summary>MNIST digits kept.</summary>
    public int[] Digits { get; init; } = [0, 1, 2, 3];
    /// <summary>MNIST binarization threshold (pixel &gt;= threshold is 1).</summary>
    public int Threshold { get; init; } = Data.MnistDataset.ReportThreshold;
    /// <summary>HH dataset file; generated into the cache when null.</summary>
    public string? HhData { get; init; }
    /// <summary>HH protocol used when the dataset is generated.</summary>
    public string HhProtocol { get; init; } = "report";
    /// <summary>Number of HH traces generated.</summary>
    public int HhCount { get; init; } = 10_000;
    /// <summary>Seed of the generated HH dataset.</summary>
    public long HhSeed { get; init; }
    /// <summary>
    /// How HH traces are scaled for the model: <c>trace</c> (each trace to [0, 1] by its own min and max, the
    /// study's) or <c>dataset</c> (one affine map for all traces, fitted on the training split, which keeps
    /// amplitudes; the default of <see cref="Defaults"/> for hh). Configs written before this setting existed
    /// read as <c>trace</c>.
    /// </summary>
    public string Scaling { get; init; } = Data.TraceScaling.Trace;
    /// <summary>Named preset applied before explicit options, or null.</summary>
    public string? Preset { get; init; }

    /// <summary>
    /// The defaults for <paramref name="dataset"/>: sized so that the root command finishes within about ten
    /// minutes on two cores and still gives a useful model (hh: 5 epochs of the conv VAE with a 2-d latent on
    /// dataset-scaled traces, whose latent keeps more of gNa than on per-trace scaled ones, README "What the latent
    /// space learned"; mnist: 10 epochs with a 20-d latent).
    /// </summary>
    public static TrainConfig Defaults(string dataset) => dataset == "mnist"
        ? new TrainConfig { Dataset = "mnist", LatentDim = 20, Epochs = 10 }
        : new TrainConfig { Dataset = "hh", LatentDim = 2, Epochs = 5, Scaling = Data.TraceScaling.Dataset };

    /// <summary>The settings the original study used for <paramref name="dataset"/> (docs/science.md section 5).</summary>
    public static TrainConfig Paper(string dataset) => Defaults(dataset) with
    {
        BatchSize = dataset == "mnist" ? 64 : 16,
        Shuffle = dataset == "mnist" ? ShuffleMode.Fixed : ShuffleMode.None,
        Epochs = 100,
        // The original code binarized with pixel/255 >= 0.5, i.e. pixel >= 128 (its report says 127).
        Threshold = dataset == "mnist" ? 128 : Data.MnistDataset.ReportThreshold,
        // The study scaled every trace by its own min and max.
        Scaling = Data.TraceScaling.Trace,
        Preset = "paper",
    };

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The config as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a config written by <see cref="ToJson"/>.</summary>
    public static TrainConfig FromJson(string json) =>
        JsonSerializer.Deserialize<TrainConfig>(json, Json) ?? throw new InvalidDataException("config.json is empty");
}
