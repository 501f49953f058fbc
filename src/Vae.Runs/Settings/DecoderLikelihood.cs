using System.Text.Json.Serialization;
using Vae.Model;

namespace Vae.Runs.Settings;

/// <summary>
/// The decoder's likelihood, which the reconstruction term is the negative log of (<see cref="Losses.Likelihood"/>):
/// <c>bernoulli</c> (binary data: binarized MNIST), <c>squared-error</c> (a Gaussian of fixed variance up to
/// constants), <c>squared-error+derivative</c> (the same plus the squared error of consecutive differences),
/// <c>gaussian</c> and <c>laplace</c> (one learned noise scale per model) and <c>gaussian-heteroscedastic</c>
/// (a noise scale per sample from the decoder, at least <see cref="HeteroscedasticFloor"/>). Unset in a config, it
/// follows the dataset (<see cref="For"/>), as runs before this setting did. The floor and the derivative weight are
/// fixed constants owned here, so that a likelihood's name in config.json says everything about its loss.
/// </summary>
[JsonConverter(typeof(SettingNameJsonConverter<DecoderLikelihood>))]
public sealed class DecoderLikelihood : SettingName, ISettingNames<DecoderLikelihood>
{
    /// <summary>
    /// The smallest per-sample noise scale of <c>gaussian-heteroscedastic</c>, in the model's units (scaled traces span
    /// about [0, 1], so about 0.1 mV under the dataset scaling). Without it the scale of the noiseless simulated
    /// traces' flat stretches shrinks towards 0 and their log-likelihood grows without bound.
    /// </summary>
    public const double HeteroscedasticFloor = 1e-3;

    /// <summary>
    /// The weight of the squared error of consecutive differences in <c>squared-error+derivative</c>: chosen so
    /// that both terms are about equal on the default HH traces (docs/likelihoods.md gives the measurement).
    /// </summary>
    public const double DerivativeWeight = 100.0;

    private DecoderLikelihood(string text, Losses.Likelihood model, string term) : base(text) =>
        (Model, ReconstructionTerm) = (model, term);

    /// <summary>Bernoulli pixels: binary cross-entropy on logits, a likelihood in nats (the importance-weighted bound applies).</summary>
    public static DecoderLikelihood Bernoulli { get; } = new("bernoulli", Losses.Likelihood.Bernoulli, "reconstruction (BCE, nats)");
    /// <summary>Sum of squared errors: a Gaussian with fixed variance up to constants, not a normalized likelihood.</summary>
    public static DecoderLikelihood SquaredError { get; } = new("squared-error", Losses.Likelihood.SquaredError, "reconstruction (SSE)");
    /// <summary>Sum of squared errors plus <see cref="DerivativeWeight"/> times that of the first differences: not a likelihood.</summary>
    public static DecoderLikelihood SquaredErrorDerivative { get; } = new("squared-error+derivative",
        Losses.Likelihood.NewSquaredErrorDerivative(DerivativeWeight), $"reconstruction (SSE + {DerivativeWeight:G} SSE of differences)");
    /// <summary>Gaussian with one learned noise scale per model: the full Gaussian NLL in nats (the bound applies).</summary>
    public static DecoderLikelihood Gaussian { get; } = new("gaussian", Losses.Likelihood.NewGaussian(Losses.NoiseScale.PerModel),
        "reconstruction (Gaussian NLL, nats)");
    /// <summary>Gaussian with a noise scale per sample from the decoder, at least <see cref="HeteroscedasticFloor"/>.</summary>
    public static DecoderLikelihood GaussianHeteroscedastic { get; } = new("gaussian-heteroscedastic",
        Losses.Likelihood.NewGaussian(Losses.NoiseScale.NewPerSample(HeteroscedasticFloor)), "reconstruction (Gaussian NLL, nats)");
    /// <summary>Laplace with one learned scale per model: log 2b + |x - mu| / b summed, in nats (the bound applies).</summary>
    public static DecoderLikelihood Laplace { get; } = new("laplace", Losses.Likelihood.NewLaplace(Losses.NoiseScale.PerModel),
        "reconstruction (Laplace NLL, nats)");

    /// <inheritdoc/>
    public static IReadOnlyList<DecoderLikelihood> All { get; } =
        [Bernoulli, SquaredError, SquaredErrorDerivative, Gaussian, GaussianHeteroscedastic, Laplace];
    /// <inheritdoc/>
    public static string Setting => "likelihood";

    /// <summary>The model layer's likelihood.</summary>
    public Losses.Likelihood Model { get; }

    /// <summary>
    /// The reconstruction term of the loss (metrics.csv's reconstruction column, per example) in words, with its unit,
    /// for figures: -log p(x|z) in nats of the model's units for the proper likelihoods (Bernoulli, Gaussian,
    /// Laplace; lower by N log a per trace than in mV when mV = a x + b), a sum of squares for the squared-error ones.
    /// </summary>
    public string ReconstructionTerm { get; }

    /// <summary>Whether the reconstruction term is a normalized likelihood in nats, so the importance-weighted bound applies.</summary>
    public bool IsProper => Losses.isProper(Model);

    /// <summary>What a decoded example is, in words: the data mean the decoder's output stands for.</summary>
    public string DecodedMeans => this == Bernoulli ? "sigmoid of the decoder logits"
        : Losses.noiseScale(Model) is null ? "decoder means" : "decoder means (the first half of its output)";

    /// <summary>The likelihood of a dataset when the config sets none: Bernoulli for images, squared error for traces.</summary>
    public static DecoderLikelihood For(Dataset dataset) => dataset.Kind == DataKind.Images ? Bernoulli : SquaredError;

    /// <summary>Whether the likelihood is defined on data of <paramref name="kind"/>: Bernoulli needs binary data; the others fit both.</summary>
    public bool Fits(DataKind kind) => this != Bernoulli || kind == DataKind.Images;
}
