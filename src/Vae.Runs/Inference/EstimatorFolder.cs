using System.Text.Json;
using System.Text.Json.Serialization;
using Vae.Simulation.Features;
using Vae.Simulation.Storage;

namespace Vae.Runs.Inference;

/// <summary>
/// What an estimator of <c>infer fit</c> was fitted on and how: written first (estimator.json), so a resumed fit
/// continues only with the same settings, and read by <c>infer</c> to turn an observation into the estimator's input.
/// </summary>
public sealed record EstimatorRecord
{
    /// <summary>Format tag of estimator.json.</summary>
    public const string CurrentFormat = "functionalvae-infer/1";

    /// <summary>Format tag.</summary>
    public string Format { get; init; } = CurrentFormat;
    /// <summary>What a trace becomes before the estimator sees it.</summary>
    public required InferenceRepresentation Representation { get; init; }
    /// <summary><c>mdn</c> or <c>flow</c>.</summary>
    public required string Estimator { get; init; }
    /// <summary>Seed of the fit, the posterior samples and the bootstrap.</summary>
    public required ulong Seed { get; init; }
    /// <summary>Epochs of the fit at most.</summary>
    public required int MaxEpochs { get; init; }
    /// <summary>The trained run whose encoder gives the latent means (full path), or null for features.</summary>
    public string? Run { get; init; }
    /// <summary>The HH dataset the pairs came from (full path).</summary>
    public required string Data { get; init; }
    /// <summary>Its content hash: a resumed fit refuses a changed file.</summary>
    public required string ContentHash { get; init; }
    /// <summary>The protocol of its traces: observations must be on its grid.</summary>
    public required string Protocol { get; init; }
    /// <summary>The noise its traces were simulated with (posterior-predictive traces get the same, newly drawn).</summary>
    public required Vae.Simulation.Noise.HhNoise Noise { get; init; }
    /// <summary>Names of the parameters, with units.</summary>
    public string[] Parameters { get; init; } = ["gK (mS/cm2)", "gNa (mS/cm2)"];
    /// <summary>The uniform prior's box: [parameter] = [low, high].</summary>
    public required double[][] Prior { get; init; }
    /// <summary>Missing-value plan of a feature representation (fitted on the training traces), or null.</summary>
    public ImputationPlan? Imputation { get; init; }
    /// <summary>Numbers per trace the estimator conditions on.</summary>
    public required int Width { get; init; }
    /// <summary>Training and test pairs.</summary>
    public required int TrainPairs { get; init; }
    /// <summary>Test pairs (diagnostics).</summary>
    public required int TestPairs { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The record as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads estimator.json; another format is an <see cref="InvalidDataException"/>.</summary>
    public static EstimatorRecord FromJson(string json, string path)
    {
        var r = JsonSerializer.Deserialize<EstimatorRecord>(json, Json) ?? throw new InvalidDataException($"{path} is empty");
        return r.Format == CurrentFormat ? r : throw new InvalidDataException($"{path} has format '{r.Format}', not {CurrentFormat}");
    }

    /// <summary>Whether a resumed fit asks for what this record was fitted with (everything but the counts).</summary>
    public bool SameFit(EstimatorRecord other) => Request().ToJson() == other.Request().ToJson();

    // The record without what the fit found out (pair counts, width, the missing-value plan).
    private EstimatorRecord Request() => this with { TrainPairs = 0, TestPairs = 0, Width = 0, Imputation = null };
}

/// <summary>
/// The folder of one estimator of <c>infer fit</c> and the one owner of its file names: estimator.json, the fitted
/// estimator, the fit's state to resume from, its history, the diagnostics on the test pairs and their figures.
/// </summary>
public sealed class EstimatorFolder(string root)
{
    /// <summary>The folder's full path.</summary>
    public string Root { get; } = Path.GetFullPath(root);
    /// <summary>What it was fitted on and how.</summary>
    public string RecordPath => Path.Combine(Root, "estimator.json");
    /// <summary>The fitted estimator (written when the fit ends).</summary>
    public string EstimatorPath => Path.Combine(Root, "estimator.safetensors");
    /// <summary>The fit's state after the last epoch done, to resume from.</summary>
    public string StatePath => Path.Combine(Root, "fit-state.safetensors");
    /// <summary>Mean log density per epoch on the training and validation pairs.</summary>
    public string HistoryPath => Path.Combine(Root, "history.csv");
    /// <summary>Information, widths and calibration on the test pairs.</summary>
    public string DiagnosticsPath => Path.Combine(Root, "diagnostics.json");
    /// <summary>The same as Markdown.</summary>
    public string DiagnosticsMarkdownPath => Path.Combine(Root, "diagnostics.md");
    /// <summary>Figures of the diagnostics.</summary>
    public string FigureDir => Path.Combine(Root, "figures");

    /// <summary>Whether the folder holds a finished estimator.</summary>
    public bool Finished => File.Exists(EstimatorPath) && File.Exists(RecordPath);

    /// <summary>Reads estimator.json; a folder without one is a <see cref="UserInputException"/>.</summary>
    public EstimatorRecord Record()
    {
        if (!File.Exists(RecordPath))
            throw new UserInputException($"{Root} holds no estimator (no estimator.json)", new Remedy.Act("fit one with `infer fit`"));
        return EstimatorRecord.FromJson(File.ReadAllText(RecordPath), RecordPath);
    }

    /// <summary>Writes estimator.json atomically.</summary>
    public void Write(EstimatorRecord record) => AtomicFile.WriteAllText(RecordPath, record.ToJson(), createFolder: true);
}
