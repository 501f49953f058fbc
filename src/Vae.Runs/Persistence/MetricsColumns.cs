using Vae.Runs.Metrics;

namespace Vae.Runs.Persistence;

/// <summary>
/// The columns of metrics.csv (one row per epoch, an <see cref="EpochMetrics"/>) and the one mapping between a row's
/// cells and the record; evaluation.json names its test totals the same way. Everything else reads the record's fields.
/// </summary>
public static class MetricsColumns
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

    // The columns before the per-dimension KL, in file order.
    private static readonly string[] Fixed =
    [
        Epoch, Step, LearningRate, Seconds,
        TrainLoss, TrainRecon, TrainKl,
        TestLoss, TestRecon, TestKl, TestElboBeta1, TestReconPerFeature,
    ];

    /// <summary>Column names: epoch bookkeeping, train means, test totals, per-dimension test KL.</summary>
    public static IReadOnlyList<string> Of(int latentDim) => [.. Fixed, .. Enumerable.Range(0, latentDim).Select(TestKlDimension)];

    /// <summary>The latent size of a table with these columns, or null when they are not <see cref="Of"/> of any size.</summary>
    public static int? LatentDimOf(IReadOnlyList<string> columns)
    {
        var latent = columns.Count - Fixed.Length;
        return latent >= 0 && columns.SequenceEqual(Of(latent)) ? latent : null;
    }

    /// <summary>The test totals under their column names, in column order (evaluation.json's keys).</summary>
    public static IEnumerable<(string Column, double Value)> Named(TestMetrics t) =>
        [(TestLoss, t.Loss), (TestRecon, t.Recon), (TestKl, t.Kl), (TestElboBeta1, t.ElboBeta1), (TestReconPerFeature, t.ReconPerFeature)];

    /// <summary>Every cell of a row under its column name, in column order (<see cref="Of"/>).</summary>
    public static IEnumerable<(string Column, double Value)> Named(EpochMetrics m) =>
        [
            (Epoch, m.Epoch), (Step, m.Step), (LearningRate, m.LearningRate), (Seconds, m.Seconds),
            (TrainLoss, m.Train.Loss), (TrainRecon, m.Train.Recon), (TrainKl, m.Train.Kl),
            .. Named(m.Test),
            .. m.Test.KlPerDimension.Select((k, j) => (TestKlDimension(j), k)),
        ];

    /// <summary>A row's cells in column order.</summary>
    public static double[] Cells(EpochMetrics m) => [.. Named(m).Select(c => c.Value)];

    /// <summary>The record of a row's cells in column order; the epoch and step must be whole numbers.</summary>
    public static EpochMetrics FromCells(IReadOnlyList<double> cells)
    {
        if (cells.Count < Fixed.Length)
            throw new InvalidDataException(
                $"a metrics row has {cells.Count} cells, fewer than the {Fixed.Length} columns before the per-dimension KL");
        return new EpochMetrics(checked((int)Whole(cells[0], Epoch)), Whole(cells[1], Step), cells[2], cells[3],
            new TrainMeans(cells[4], cells[5], cells[6]),
            new TestMetrics(cells[7], cells[8], cells[9], cells[10], cells[11], [.. cells.Skip(Fixed.Length)]));
    }

    private static long Whole(double value, string column) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? (long)value
            : throw new InvalidDataException($"metrics column {column} holds {value}, not a whole number");
}
