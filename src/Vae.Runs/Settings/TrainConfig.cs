using System.Text.Json;
using System.Text.Json.Serialization;
using Vae.Model;

namespace Vae.Runs.Settings;

/// <summary>
/// Every setting of a training run, with the defaults in one place. Serialized as the run's
/// <c>config.json</c>; a run is reproduced from it alone.
/// </summary>
public sealed partial record TrainConfig
{
    /// <summary>The study's MNIST binarization: pixel &gt;= 127 is 1 (its code used pixel/255 &gt;= 0.5, i.e. &gt;= 128).</summary>
    public const int ReportMnistThreshold = 127;

    /// <summary>Training data.</summary>
    public Dataset Dataset { get; init; } = Dataset.Hh;
    /// <summary>Encoder/decoder family.</summary>
    public ModelFamily Model { get; init; } = ModelFamily.Conv;
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
    public int Threshold { get; init; } = ReportMnistThreshold;
    /// <summary>HH dataset file; generated into the cache when null.</summary>
    public string? HhData { get; init; }
    /// <summary>HH protocol used when the dataset is generated.</summary>
    public HhDataProtocol HhProtocol { get; init; } = HhDataProtocol.Report;
    /// <summary>Number of HH traces generated.</summary>
    public int HhCount { get; init; } = 10_000;
    /// <summary>Seed of the generated HH dataset.</summary>
    public long HhSeed { get; init; }
    /// <summary>
    /// How HH traces are scaled for the model (<see cref="ScalingMode.Dataset"/> is the default of
    /// <see cref="Defaults"/> for hh). Configs written before this setting existed read as
    /// <see cref="ScalingMode.Trace"/>.
    /// </summary>
    public ScalingMode Scaling { get; init; } = ScalingMode.Trace;
    /// <summary>
    /// The decoder's likelihood, or null for the dataset's (<see cref="DecoderLikelihood.For"/>); config.json leaves
    /// it out when null, so configs written before this setting read and write back unchanged.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DecoderLikelihood? Likelihood { get; init; }

    /// <summary>
    /// Standard deviation (mV) of Gaussian measurement noise drawn afresh every epoch for every training trace (HH only;
    /// <see cref="Data.EpochMeasurementNoise"/>); 0, the default, for none. Left out of config.json when 0, so configs
    /// written before this setting read as no noise and noise-free runs' configs are unchanged.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double TrainNoiseSigmaMv { get; init; }
    /// <summary>Correlation time (ms) of that noise, an Ornstein-Uhlenbeck process; 0 for white. Left out of config.json when 0.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double TrainNoiseTauMs { get; init; }

    /// <summary>The likelihood the run trains with: the one set, else the dataset's.</summary>
    [JsonIgnore]
    public DecoderLikelihood EffectiveLikelihood => Likelihood ?? DecoderLikelihood.For(Dataset);
    /// <summary>The name of the preset of <see cref="Paper"/>.</summary>
    public const string PaperPreset = "paper";

    /// <summary>Named preset applied before explicit options, or null.</summary>
    public string? Preset { get; init; }

    /// <summary>
    /// The defaults for <paramref name="dataset"/>: sized so that the root command finishes within about ten
    /// minutes on two cores and still gives a useful model (hh: 5 epochs of the conv VAE with a 2-d latent on
    /// dataset-scaled traces, whose latent keeps more of gNa than on per-trace scaled ones, README "What the latent
    /// space learned"; mnist: 10 epochs with a 20-d latent).
    /// </summary>
    public static TrainConfig Defaults(Dataset dataset) => dataset == Dataset.Mnist
        ? new TrainConfig { Dataset = Dataset.Mnist, LatentDim = 20, Epochs = 10 }
        : new TrainConfig { Dataset = Dataset.Hh, LatentDim = 2, Epochs = 5, Scaling = ScalingMode.Dataset };

    /// <summary>The settings the original study used for <paramref name="dataset"/> (docs/science.md section 5).</summary>
    public static TrainConfig Paper(Dataset dataset) => Defaults(dataset) with
    {
        BatchSize = dataset == Dataset.Mnist ? 64 : 16,
        Shuffle = dataset == Dataset.Mnist ? ShuffleMode.Fixed : ShuffleMode.None,
        Epochs = 100,
        // The original code binarized with pixel/255 >= 0.5, i.e. pixel >= 128 (its report says 127).
        Threshold = dataset == Dataset.Mnist ? 128 : ReportMnistThreshold,
        // The study scaled every trace by its own min and max.
        Scaling = ScalingMode.Trace,
        Preset = PaperPreset,
    };

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The config as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Reads a config written by <see cref="ToJson"/>; an unknown name throws <see cref="InvalidSettingException"/>.
    /// The values are not checked further: <see cref="Validate"/> does.
    /// </summary>
    public static TrainConfig FromJson(string json) =>
        JsonSerializer.Deserialize<TrainConfig>(json, Json) ?? throw new InvalidDataException("config.json is empty");
}
