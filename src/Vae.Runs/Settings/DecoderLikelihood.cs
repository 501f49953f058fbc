using System.Text.Json.Serialization;
using Vae.Model;

namespace Vae.Runs.Settings;

/// <summary>
/// The decoder's likelihood, which the reconstruction term is the negative log of: <c>bernoulli</c> (binary data:
/// binarized MNIST) or <c>squared-error</c> (a Gaussian of fixed variance up to constants: traces). Unset in a config,
/// it follows the dataset (<see cref="For"/>), as runs before this setting did.
/// </summary>
[JsonConverter(typeof(SettingNameJsonConverter<DecoderLikelihood>))]
public sealed class DecoderLikelihood : SettingName, ISettingNames<DecoderLikelihood>
{
    private DecoderLikelihood(string text, Losses.Likelihood model) : base(text) => Model = model;

    /// <summary>Bernoulli pixels: binary cross-entropy on logits, a likelihood in nats (the importance-weighted bound applies).</summary>
    public static DecoderLikelihood Bernoulli { get; } = new("bernoulli", Losses.Likelihood.Bernoulli);
    /// <summary>Sum of squared errors: a Gaussian with fixed variance up to constants, not a normalized likelihood.</summary>
    public static DecoderLikelihood SquaredError { get; } = new("squared-error", Losses.Likelihood.SquaredError);

    /// <inheritdoc/>
    public static IReadOnlyList<DecoderLikelihood> All { get; } = [Bernoulli, SquaredError];
    /// <inheritdoc/>
    public static string Setting => "likelihood";

    /// <summary>The model layer's likelihood.</summary>
    public Losses.Likelihood Model { get; }

    /// <summary>The reconstruction term of the loss in words, with its unit, for figures.</summary>
    public string ReconstructionTerm => this == Bernoulli ? "reconstruction (BCE, nats)" : "reconstruction (SSE)";

    /// <summary>What a decoded example is, in words: the data mean the decoder's output stands for.</summary>
    public string DecodedMeans => this == Bernoulli ? "sigmoid of the decoder logits" : "decoder means";

    /// <summary>The likelihood of a dataset when the config sets none: Bernoulli for images, squared error for traces.</summary>
    public static DecoderLikelihood For(Dataset dataset) => dataset.Kind == DataKind.Images ? Bernoulli : SquaredError;

    /// <summary>Whether the likelihood is defined on data of <paramref name="kind"/>: Bernoulli needs binary data.</summary>
    public bool Fits(DataKind kind) => this != Bernoulli || kind == DataKind.Images;
}
