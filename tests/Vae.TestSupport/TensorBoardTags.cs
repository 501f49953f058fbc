using Vae.Runs.Metrics;

namespace Vae.TestSupport;

/// <summary>
/// The tags the TensorBoard sink writes an epoch's metrics under, for the sink's own tests and those of a run's
/// event files written through the command line.
/// </summary>
public static class TensorBoardTags
{
    /// <summary>Each value of an epoch's metrics as metrics.csv holds it and the tag it must appear under (a 2-d latent).</summary>
    public static readonly IReadOnlyList<(string Tag, Func<EpochMetrics, double> Value)> Scalars =
    [
        ("epoch", m => m.Epoch),
        ("learning_rate", m => m.LearningRate),
        ("time/epoch_seconds", m => m.Seconds),
        ("loss/train", m => m.Train.Loss),
        ("reconstruction/train", m => m.Train.Recon),
        ("kl/train", m => m.Train.Kl),
        ("loss/test", m => m.Test.Loss),
        ("reconstruction/test", m => m.Test.Recon),
        ("kl/test", m => m.Test.Kl),
        ("loss/test_elbo_beta1", m => m.Test.ElboBeta1),
        ("reconstruction/test_per_feature", m => m.Test.ReconPerFeature),
        ("kl_per_dimension/z0", m => m.Test.KlPerDimension[0]),
        ("kl_per_dimension/z1", m => m.Test.KlPerDimension[1]),
    ];

    /// <summary>The tags of the step-time percentiles, in the order of <see cref="StepTimePercentiles"/>'s values.</summary>
    public static readonly IReadOnlyList<string> StepTimes = ["time/step_ms_p10", "time/step_ms_p50", "time/step_ms_p90", "time/step_ms_max"];
}
