using System.Text.Json.Serialization;

namespace Vae.Runs.Settings;

/// <summary>
/// The encoder/decoder family: <c>mlp</c>, <c>dnn</c> or <c>conv</c> (1-d for traces, 2-d for images), or <c>resconv</c>
/// (residual 1-d convolutions, traces only).
/// </summary>
[JsonConverter(typeof(SettingNameJsonConverter<ModelFamily>))]
public sealed class ModelFamily : SettingName, ISettingNames<ModelFamily>
{
    private ModelFamily(string text) : base(text) { }

    /// <summary>Dense, one hidden layer of 500 (the study's MLP-VAE).</summary>
    public static ModelFamily Mlp { get; } = new("mlp");
    /// <summary>Dense, hidden layers of 500 and 150 (the study's DNN-VAE).</summary>
    public static ModelFamily Dnn { get; } = new("dnn");
    /// <summary>Convolutional encoder and decoder.</summary>
    public static ModelFamily Conv { get; } = new("conv");

    /// <summary>Residual convolutional encoder and decoder for traces (not in the study; <c>ResConvVae1d</c>).</summary>
    public static ModelFamily ResConv { get; } = new("resconv");

    /// <inheritdoc/>
    public static IReadOnlyList<ModelFamily> All { get; } = [Mlp, Dnn, Conv, ResConv];
    /// <summary>The study's families, which its sweeps, figures and tables compare.</summary>
    public static IReadOnlyList<ModelFamily> Study { get; } = [Mlp, Dnn, Conv];
    /// <inheritdoc/>
    public static string Setting => "model";

    /// <summary>The name as figure titles and tables write it, e.g. <c>CONV</c>.</summary>
    public string Label => Text.ToUpperInvariant();

    /// <summary>Whether the family has a model for data of <paramref name="kind"/> (resconv: traces only).</summary>
    public bool Fits(DataKind kind) => this != ResConv || kind == DataKind.Traces;
}
