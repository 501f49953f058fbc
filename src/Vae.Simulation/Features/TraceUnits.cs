namespace Vae.Simulation.Features;

/// <summary>Which version of each trace the features read.</summary>
public enum TraceUnits
{
    /// <summary>The trace in mV, its [0, 1] scaling undone with its own raw min and max.</summary>
    Millivolts,
    /// <summary>
    /// The [0, 1] trace exactly as a VAE sees it; thresholds given in mV are moved into these units by one
    /// dataset-wide affine map (<see cref="FeatureTraces.TrainingRange"/>), never by the trace's own min and max.
    /// </summary>
    Scaled,
}
