namespace Vae.Host.Persistence;

/// <summary>The columns of metrics.csv, one row per epoch.</summary>
public static class EpochRecord
{
    /// <summary>Column names: epoch bookkeeping, train averages, test metrics, per-dimension test KL.</summary>
    public static IReadOnlyList<string> Columns(int latentDim) =>
    [
        "epoch", "step", "lr", "seconds",
        "train_loss", "train_recon", "train_kl",
        "test_loss", "test_recon", "test_kl", "test_elbo_beta1", "test_recon_per_feature",
        .. Enumerable.Range(0, latentDim).Select(j => $"test_kl_dim{j}"),
    ];
}
