namespace Vae.Runs.Analysis;

/// <summary>
/// The test examples' true and predicted factors of one recovery row: <c>Truth[j]</c> and <c>Predicted[j]</c> hold
/// factor j (gK, gNa) of every test trace.
/// </summary>
public sealed record RecoveryScatter(RecoveryRow Row, double[][] Truth, double[][] Predicted);

/// <summary>
/// Decoded latent traversals: for each dimension of <see cref="Dims"/> (most KL first), the mean test code with that
/// dimension at each of <see cref="Quantiles"/> of the prior, decoded; <see cref="Values"/> holds them row by row
/// (dimension, then quantile), each as many values as the model's output.
/// </summary>
public sealed record DecodedTraversal(float[] Values, int[] Dims, double[] Quantiles);

/// <summary>
/// The analysis of a run as numbers, not yet written or drawn anywhere: the result (analysis.json), the recovery
/// scatters of the latent means and the best baseline (HH runs), the decoded traversals, and the posterior of the
/// conductances estimated from each representation (HH runs).
/// </summary>
public sealed record AnalysisOutput(
    AnalysisResult Result, IReadOnlyList<RecoveryScatter> Recovery, DecodedTraversal? Traversal,
    IReadOnlyList<Inference.EstimatedPosterior>? Posteriors = null);
