using System.Text.Json;
using System.Text.Json.Serialization;
using Vae.Runs.Settings;

namespace Vae.Runs.Analysis;

/// <summary>Test-split recovery of the factors from one representation by one regressor.</summary>
/// <param name="Representation">What is regressed on, e.g. <c>latent means</c>, <c>PCA 10</c>, <c>eFEL features</c>.</param>
/// <param name="Input">What the representation was computed from: the model's input (<c>model input</c>) or the trace in mV.</param>
/// <param name="Regressor"><c>ridge</c> or <c>k-NN</c>.</param>
/// <param name="Dimensions">Input columns of the regressor.</param>
/// <param name="R2">Test R^2 per factor.</param>
/// <param name="Rmse">Test RMSE per factor (mS/cm2).</param>
/// <param name="Chosen">Cross-validated alpha (ridge) or k (k-NN) per factor.</param>
public sealed record RecoveryRow(string Representation, string Input, string Regressor, int Dimensions, double[] R2, double[] Rmse, double[] Chosen);

/// <summary>What one latent dimension carries.</summary>
/// <param name="Dim">0-based dimension.</param>
/// <param name="Kl">Test KL of the dimension at the last epoch (metrics.csv).</param>
/// <param name="Activity">Variance over the test set of its posterior mean.</param>
/// <param name="Active">Activity above 0.01.</param>
/// <param name="MutualInformation">MI (nats) with each factor after 20-bin discretization.</param>
public sealed record LatentDimension(int Dim, double Kl, double Activity, bool Active, double[] MutualInformation);

/// <summary>Digit accuracy of a classifier on a representation (MNIST).</summary>
public sealed record DigitRow(string Representation, string Classifier, int Dimensions, double Accuracy, double Chosen);

/// <summary>Everything <c>analyze</c> measured for a run; serialized as analysis.json.</summary>
public sealed record AnalysisResult
{
    /// <summary>hh or mnist.</summary>
    public required string Dataset { get; init; }
    /// <summary>Trace scaling of the run (hh).</summary>
    public string? Scaling { get; init; }
    /// <summary>Latent size.</summary>
    public required int LatentDim { get; init; }
    /// <summary>Training and test examples used.</summary>
    public required int TrainExamples { get; init; }
    /// <summary>Test examples used.</summary>
    public required int TestExamples { get; init; }
    /// <summary>The factors, in the order of every per-factor array: gK, gNa (hh) or digit (mnist).</summary>
    public required string[] Factors { get; init; }
    /// <summary>Number of active dimensions.</summary>
    public required int ActiveUnits { get; init; }
    /// <summary>Per-dimension information.</summary>
    public required LatentDimension[] Dimensions { get; init; }
    /// <summary>Mutual information gap, mean over factors.</summary>
    public required double Mig { get; init; }
    /// <summary>MIG per factor.</summary>
    public required double[] MigPerFactor { get; init; }
    /// <summary>SAP score for continuous factors (hh).</summary>
    public double? Sap { get; init; }
    /// <summary>DCI disentanglement from the k-NN permutation importance (hh).</summary>
    public double? DciDisentanglement { get; init; }
    /// <summary>DCI completeness (hh).</summary>
    public double? DciCompleteness { get; init; }
    /// <summary>DCI informativeness: mean test R^2 of the k-NN regressor on the latent means (hh).</summary>
    public double? DciInformativeness { get; init; }
    /// <summary>The importance matrix [dimension][factor] behind DCI (hh).</summary>
    public double[][]? DciImportance { get; init; }
    /// <summary>Factor recovery, representation x regressor (hh).</summary>
    public RecoveryRow[] Recovery { get; init; } = [];
    /// <summary>Digit accuracy, representation x classifier (mnist).</summary>
    public DigitRow[] Digits { get; init; } = [];
    /// <summary>
    /// Importance-weighted test negative log-likelihood per example (nats, in <see cref="IwaeUnit"/>), or null when not
    /// computed (hh: only with a proper likelihood; its per-sample value is <see cref="IwaeNllPerSample"/>).
    /// </summary>
    public double? IwaeNll { get; init; }
    /// <summary>What <see cref="IwaeNll"/> and <see cref="TestNegativeElbo"/> are per, and in which units (null: nats per image).</summary>
    public string? IwaeUnit { get; init; }
    /// <summary>The IWAE NLL over the samples of a trace (nats per sample, hh), or null.</summary>
    public double? IwaeNllPerSample { get; init; }
    /// <summary>Samples per example of the IWAE estimate.</summary>
    public int? IwaeSamples { get; init; }
    /// <summary>The test negative ELBO (beta = 1) of the same model, for comparison with the IWAE bound.</summary>
    public double? TestNegativeElbo { get; init; }
    /// <summary>What each representation tells about gK and gNa in nats, with its posterior's widths and calibration (hh).</summary>
    public Inference.InformationRow[] Information { get; init; } = [];
    /// <summary>Reconstruction error of the test traces in mV by region of the trace (hh).</summary>
    public RegionErrors? ReconstructionRegions { get; init; }
    /// <summary>eFEL-style features of the reconstructed test traces against the originals' (hh).</summary>
    public FeatureErrorRow[] ReconstructedFeatures { get; init; } = [];
    /// <summary>Dimensions drawn in the traversal figure (most KL first).</summary>
    public int[] TraversedDims { get; init; } = [];
    /// <summary>What a reader needs to interpret the numbers (inputs, regressors, what was left out and why).</summary>
    public string[] Notes { get; init; } = [];
    /// <summary>What the analysis left out on this data (too few examples for it) and why, one line each.</summary>
    public string[] Skipped { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The result as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads analysis.json.</summary>
    public static AnalysisResult FromJson(string json) =>
        JsonSerializer.Deserialize<AnalysisResult>(json, Json) ?? throw new InvalidDataException("analysis.json is empty");

    /// <summary>The best recovery row (highest mean R^2 over the factors) among those <paramref name="which"/> accepts.</summary>
    public RecoveryRow? Best(Func<RecoveryRow, bool> which) =>
        Recovery.Where(which).OrderByDescending(r => r.R2.Average()).FirstOrDefault();

    /// <summary>Whether a row is the run's own latent means.</summary>
    public static bool IsLatent(RecoveryRow r) => r.Representation == LatentName;

    /// <summary>Whether a row is a PCA baseline (of the traces or of the pixels).</summary>
    public static bool IsPca(RecoveryRow r) => r.Representation.StartsWith(PcaPrefix, StringComparison.Ordinal);

    /// <summary>Whether a row is a hand-crafted feature set.</summary>
    public static bool IsFeatureSet(RecoveryRow r) => r.Representation.EndsWith(FeatureSuffix, StringComparison.Ordinal);

    /// <summary>Name of the latent-means representation.</summary>
    public const string LatentName = "latent means";

    private const string PcaPrefix = "PCA ";
    private const string FeatureSuffix = " features";

    /// <summary>Name of PCA of the model's input (the traces) with <paramref name="components"/> components.</summary>
    public static string PcaName(int components) => PcaPrefix + components.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Name of PCA of the pixels (MNIST) with <paramref name="components"/> components.</summary>
    public static string PixelPcaName(int components) => PcaName(components) + " of the pixels";

    /// <summary>Name of a hand-crafted feature set, e.g. <c>eFEL-style features</c> for <paramref name="set"/> <c>eFEL-style</c>.</summary>
    public static string FeatureSetName(string set) => set + FeatureSuffix;

    /// <summary>Name of the ridge regressor.</summary>
    public const string Ridge = "ridge";
    /// <summary>Name of the k-nearest-neighbours regressor and classifier.</summary>
    public const string Knn = "k-NN";
    /// <summary>Name of the linear digit probe (MNIST).</summary>
    public const string LinearProbe = "linear probe";
}
