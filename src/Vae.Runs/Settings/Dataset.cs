using System.Text.Json.Serialization;

namespace Vae.Runs.Settings;

/// <summary>The data a run trains on: <c>hh</c> (Hodgkin-Huxley traces) or <c>mnist</c> (binarized digits).</summary>
[JsonConverter(typeof(SettingNameJsonConverter<Dataset>))]
public sealed class Dataset : SettingName, ISettingNames<Dataset>
{
    private Dataset(string text, DataKind kind) : base(text) => Kind = kind;

    /// <summary>Simulated Hodgkin-Huxley voltage traces.</summary>
    public static Dataset Hh { get; } = new("hh", DataKind.Traces);
    /// <summary>Binarized MNIST digits.</summary>
    public static Dataset Mnist { get; } = new("mnist", DataKind.Images);

    /// <inheritdoc/>
    public static IReadOnlyList<Dataset> All { get; } = [Hh, Mnist];
    /// <inheritdoc/>
    public static string Setting => "dataset";

    /// <summary>What the model sees: traces or images.</summary>
    public DataKind Kind { get; }
}
