using Vae.Model;

namespace Vae.Runs.Persistence;

/// <summary>
/// The columns of metrics.csv (one row per epoch) and the one builder of its rows; evaluation.json and every
/// reader of the table use the same names.
/// </summary>
public static class MetricsRow
{
    /// <summary>Epoch number, 1-based.</summary>
    public const string Epoch = "epoch";
    /// <summary>Optimizer updates applied by the end of the epoch.</summary>
    public const string Step = "step";
    /// <summary>Learning rate of the epoch's last update.</summary>
    public const string LearningRate = "lr";
    /// <summary>Wall-clock seconds of the epoch, test evaluation included.</summary>
    public const string Seconds = "seconds";
    /// <summary>Mean training loss over the epoch's batches.</summary>
    public const string TrainLoss = "train_loss";
    /// <summary>Mean training reconstruction term.</summary>
    public const string TrainRecon = "train_recon";
    /// <summary>Mean training KL term.</summary>
    public const string TrainKl = "train_kl";
    /// <summary>Test negative ELBO with the run's beta.</summary>
    public const string TestLoss = "test_loss";
    /// <summary>Test reconstruction term (nats for images, SSE for traces).</summary>
    public const string TestRecon = "test_recon";
    /// <summary>Test KL term.</summary>
    public const string TestKl = "test_kl";
    /// <summary>Test negative ELBO with beta = 1.</summary>
    public const string TestElboBeta1 = "test_elbo_beta1";
    /// <summary>Test reconstruction per feature (pixel or sample).</summary>
    public const string TestReconPerFeature = "test_recon_per_feature";

    /// <summary>The column of the test KL of latent dimension <paramref name="j"/> (0-based).</summary>
    public static string TestKlDimension(int j) => $"test_kl_dim{j}";

    /// <summary>Column names: epoch bookkeeping, train averages, test metrics, per-dimension test KL.</summary>
    public static IReadOnlyList<string> Columns(int latentDim) =>
    [
        Epoch, Step, LearningRate, Seconds,
        TrainLoss, TrainRecon, TrainKl,
        TestLoss, TestRecon, TestKl, TestElboBeta1, TestReconPerFeature,
        .. Enumerable.Range(0, latentDim).Select(TestKlDimension),
    ];

    /// <summary>The test totals of an evaluation on data of <paramref name="features"/> per example, by column name.</summary>
    public static Dictionary<string, double> TestTotals(Losses.Metrics test, int features) => new()
    {
        [TestLoss] = test.Loss,
        [TestRecon] = test.Reconstruction,
        [TestKl] = test.Kl,
        [TestElboBeta1] = test.Reconstruction + test.Kl,
        [TestReconPerFeature] = test.Reconstruction / features,
    };

    /// <summary>
    /// The row of an epoch: its bookkeeping, the training means (sums over <paramref name="batches"/>
    /// batches) and the test evaluation, every column of <see cref="Columns"/>.
    /// </summary>
    public static Dictionary<string, double> Of(int epoch, long step, double learningRate, double seconds,
        (double Loss, double Recon, double Kl) trainSums, int batches, Losses.Metrics test, int features)
    {
        var row = TestTotals(test, features);
        row[Epoch] = epoch;
        row[Step] = step;
        row[LearningRate] = learningRate;
        row[Seconds] = seconds;
        row[TrainLoss] = trainSums.Loss / batches;
        row[TrainRecon] = trainSums.Recon / batches;
        row[TrainKl] = trainSums.Kl / batches;
        for (var j = 0; j < test.KlPerDimension.Length; j++)
            row[TestKlDimension(j)] = test.KlPerDimension[j];
        return row;
    }
}
