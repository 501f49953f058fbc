namespace Vae.Simulation.Features;

/// <summary>Which hand-crafted features to compute per trace (docs/features.md).</summary>
public enum FeatureSet
{
    /// <summary>Spike-train and spike-shape features defined as BlueBrain eFEL defines them (<see cref="EfelFeatures"/>).</summary>
    Efel,
    /// <summary>The 7 summary statistics of sbi's Hodgkin-Huxley example (<see cref="SbiStatistics"/>).</summary>
    Sbi,
}
