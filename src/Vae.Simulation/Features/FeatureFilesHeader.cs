namespace Vae.Simulation.Features;

/// <summary>What a feature table's files hold besides the feature values: the columns and the per-trace identity.</summary>
/// <param name="Columns">The feature columns, in order.</param>
/// <param name="IsTrain">Whether each trace is in the training split.</param>
/// <param name="GK">gK of each trace (mS/cm2).</param>
/// <param name="GNa">gNa of each trace (mS/cm2).</param>
/// <param name="Stimulus">The stimulus window the features used.</param>
/// <param name="ScaledMap">The dataset-wide map (mV) that moved the thresholds into scaled units.</param>
/// <param name="Source">The dataset the features came from.</param>
public sealed record FeatureFilesHeader(IReadOnlyList<string> Columns, bool[] IsTrain, double[] GK, double[] GNa, StimulusWindow Stimulus,
    (double Low, double High) ScaledMap, string Source);
