namespace Vae.Runs.Settings;

/// <summary>
/// What a model's examples are, as a config names them before any data is loaded: square binary images, or voltage
/// traces on a time axis. Model construction (likelihood, architecture) needs no more of the data than this.
/// </summary>
public enum DataKind
{
    /// <summary>Binarized images, flat [side*side].</summary>
    Images,
    /// <summary>Scaled traces (per trace or dataset-wide, see <see cref="Data.TraceScaling"/>), flat [samples].</summary>
    Traces,
}
