using Vae.Runs.Persistence;
using Vae.Model;

namespace Vae.Host.Tests.Persistence;

public class MetricsRowTests
{
    private static readonly Losses.Metrics Test = new(10.0, 8.0, 4.0, [1.5, 2.5, 0.0]);

    [Fact]
    public void An_epoch_row_fills_exactly_the_columns_with_means_and_test_totals()
    {
        var row = MetricsRow.Of(2, 40, 1e-4, 3.5, (Loss: 60.0, Recon: 40.0, Kl: 20.0), batches: 20, Test, features: 16);
        Assert.Equal(MetricsRow.Columns(3).Order(), row.Keys.Order());
        Assert.Equal((2.0, 40.0, 1e-4, 3.5), (row["epoch"], row["step"], row["lr"], row["seconds"]));
        Assert.Equal((3.0, 2.0, 1.0), (row["train_loss"], row["train_recon"], row["train_kl"]));
        Assert.Equal((10.0, 8.0, 4.0, 12.0, 0.5), (row["test_loss"], row["test_recon"], row["test_kl"], row["test_elbo_beta1"], row["test_recon_per_feature"]));
        Assert.Equal((1.5, 2.5, 0.0), (row["test_kl_dim0"], row["test_kl_dim1"], row["test_kl_dim2"]));
    }

    [Fact]
    public void The_header_is_the_documented_order()
    {
        Assert.Equal("epoch,step,lr,seconds,train_loss,train_recon,train_kl,test_loss,test_recon,test_kl,test_elbo_beta1,test_recon_per_feature,test_kl_dim0,test_kl_dim1",
            string.Join(",", MetricsRow.Columns(2)));
    }
}
