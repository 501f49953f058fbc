using Vae.Model;

namespace Vae.Runs.Metrics;

/// <summary>Means of the training terms over an epoch's batches.</summary>
/// <param name="Loss">Mean training loss (negative ELBO with the run's beta).</param>
/// <param name="Recon">Mean training reconstruction term.</param>
/// <param name="Kl">Mean training KL term.</param>
public sealed record TrainMeans(double Loss, double Recon, double Kl)
{
    /// <summary>The means of sums over <paramref name="batches"/> batches.</summary>
    public static TrainMeans Of((double Loss, double Recon, double Kl) sums, int batches) =>
        new(sums.Loss / batches, sums.Recon / batches, sums.Kl / batches);
}

/// <summary>A held-out evaluation's totals, as metrics.csv and evaluation.json store them.</summary>
/// <param name="Loss">Test negative ELBO with the run's beta.</param>
/// <param name="Recon">Test reconstruction term (nats for images, SSE for traces).</param>
/// <param name="Kl">Test KL term.</param>
/// <param name="ElboBeta1">Test negative ELBO with beta = 1.</param>
/// <param name="ReconPerFeature">Test reconstruction per feature (pixel or sample).</param>
/// <param name="KlPerDimension">Test KL of each latent dimension; its length is the latent size.</param>
public sealed record TestMetrics(double Loss, double Recon, double Kl, double ElboBeta1, double ReconPerFeature, IReadOnlyList<double> KlPerDimension)
{
    /// <summary>The totals of an evaluation on data of <paramref name="features"/> per example.</summary>
    public static TestMetrics Of(Losses.Metrics test, int features) =>
        new(test.Loss, test.Reconstruction, test.Kl, test.Reconstruction + test.Kl, test.Reconstruction / features, [.. test.KlPerDimension]);

    /// <summary>Equal when every number is (the per-dimension KL compared element by element, not by reference).</summary>
    public bool Equals(TestMetrics? other) =>
        other is not null
        && (Loss, Recon, Kl, ElboBeta1, ReconPerFeature).Equals((other.Loss, other.Recon, other.Kl, other.ElboBeta1, other.ReconPerFeature))
        && KlPerDimension.SequenceEqual(other.KlPerDimension);

    /// <summary>A hash of the totals and the latent size, consistent with <see cref="Equals(TestMetrics?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Loss, Recon, Kl, ElboBeta1, ReconPerFeature, KlPerDimension.Count);
}

/// <summary>
/// Percentiles of an epoch's training-step times in milliseconds, which show whether steps slow down within an epoch
/// or from one epoch to the next (the epoch's seconds alone mix both with the evaluation).
/// </summary>
/// <param name="P10Ms">10th percentile.</param>
/// <param name="P50Ms">Median.</param>
/// <param name="P90Ms">90th percentile.</param>
/// <param name="MaxMs">Slowest step.</param>
public sealed record StepTimePercentiles(double P10Ms, double P50Ms, double P90Ms, double MaxMs);

/// <summary>
/// The metrics of one training epoch: what metrics.csv stores per row (<see cref="Persistence.MetricsColumns"/> names its
/// columns) and what every progress sink receives.
/// </summary>
/// <param name="Epoch">Epoch number, 1-based.</param>
/// <param name="Step">Optimizer updates applied by the end of the epoch.</param>
/// <param name="LearningRate">Learning rate of the epoch's last update.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch, test evaluation included.</param>
/// <param name="Train">Means of the training terms.</param>
/// <param name="Test">The held-out evaluation after the epoch.</param>
public sealed record EpochMetrics(int Epoch, long Step, double LearningRate, double Seconds, TrainMeans Train, TestMetrics Test)
{
    /// <summary>
    /// The step-time percentiles, when the epoch was timed here: a progress-report measure that metrics.csv does not
    /// store, so a row read from the file has none.
    /// </summary>
    public StepTimePercentiles? StepTimes { get; init; }

    /// <summary>The latent size: the number of per-dimension test KL values.</summary>
    public int LatentDim => Test.KlPerDimension.Count;

    /// <summary>
    /// The metrics of an epoch: its bookkeeping, the training means (sums over <paramref name="batches"/> batches) and
    /// the test evaluation on data of <paramref name="features"/> per example.
    /// </summary>
    public static EpochMetrics Of(int epoch, long step, double learningRate, double seconds,
        (double Loss, double Recon, double Kl) trainSums, int batches, Losses.Metrics test, int features) =>
        new(epoch, step, learningRate, seconds, TrainMeans.Of(trainSums, batches), TestMetrics.Of(test, features));
}
