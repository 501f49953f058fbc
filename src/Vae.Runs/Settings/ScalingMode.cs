using System.Text.Json.Serialization;

namespace Vae.Runs.Settings;

/// <summary>
/// How HH traces are scaled for the model: <c>trace</c> (each trace to [0, 1] by its own min and max, the study's)
/// or <c>dataset</c> (one affine map for all traces, fitted on the training split, which keeps amplitudes).
/// </summary>
[JsonConverter(typeof(SettingNameJsonConverter<ScalingMode>))]
public sealed class ScalingMode : SettingName, ISettingNames<ScalingMode>
{
    private ScalingMode(string text) : base(text) { }

    /// <summary>Each trace scaled to [0, 1] by its own min and max (the study's; HDF5 files store traces so).</summary>
    public static ScalingMode Trace { get; } = new("trace");
    /// <summary>One affine map for all traces, fitted on the training split (<see cref="Data.TraceScaling"/>).</summary>
    public static ScalingMode Dataset { get; } = new("dataset");

    /// <inheritdoc/>
    public static IReadOnlyList<ScalingMode> All { get; } = [Trace, Dataset];
    /// <inheritdoc/>
    public static string Setting => "scaling";
}
