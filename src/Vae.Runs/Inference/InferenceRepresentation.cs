using System.Text.Json.Serialization;
using Vae.Runs.Settings;
using Vae.Simulation.Features;

namespace Vae.Runs.Inference;

/// <summary>
/// What a trace becomes before a posterior estimator of <c>infer</c> sees it: the posterior means of a run's encoder
/// (<c>latent</c>), a hand-crafted feature set computed on the trace in mV (<c>efel</c>, <c>sbi</c>), or the trace in
/// mV itself, which an embedding network trained with the estimator turns into features (<c>embedding</c>).
/// </summary>
[JsonConverter(typeof(SettingNameJsonConverter<InferenceRepresentation>))]
public sealed class InferenceRepresentation : SettingName, ISettingNames<InferenceRepresentation>
{
    private InferenceRepresentation(string text, FeatureSet? features) : base(text) => Features = features;

    /// <summary>The posterior means of a trained run's encoder, on the run's scaling of the trace.</summary>
    public static InferenceRepresentation Latent { get; } = new("latent", null);
    /// <summary>The eFEL-style features of the trace in mV (docs/features.md), missing values filled as in the analysis.</summary>
    public static InferenceRepresentation Efel { get; } = new("efel", FeatureSet.Efel);
    /// <summary>sbi's summary statistics of the trace in mV.</summary>
    public static InferenceRepresentation Sbi { get; } = new("sbi", FeatureSet.Sbi);
    /// <summary>The trace in mV, through sbi's CNN embedding network trained end to end with the estimator.</summary>
    public static InferenceRepresentation Embedding { get; } = new("embedding", null);

    /// <inheritdoc/>
    public static IReadOnlyList<InferenceRepresentation> All { get; } = [Latent, Efel, Sbi, Embedding];
    /// <inheritdoc/>
    public static string Setting => "representation";

    /// <summary>The feature set, or null for the latent means and the embedding network.</summary>
    public FeatureSet? Features { get; }

    /// <summary>Whether it needs a trained run (the latent means do; features and the embedding network need only traces).</summary>
    public bool NeedsRun => ReferenceEquals(this, Latent);

    /// <summary>Whether the estimator sees the trace itself and trains an embedding network on it.</summary>
    public bool Embeds => ReferenceEquals(this, Embedding);
}
