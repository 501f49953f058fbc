using Vae.Model;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Runs.Metrics;

namespace Vae.Runs.Tests.Persistence;

public class MetricsColumnsTests
{
    private static readonly EpochMetrics Epoch = EpochMetrics.Of(2, 40, 1e-4, 3.5, (Loss: 60.0, Recon: 40.0, Kl: 20.0), batches: 20,
        new Losses.Metrics(10.0, 8.0, 4.0, [1.5, 2.5, 0.0]), features: 16);

    [Fact]
    public void The_header_is_the_documented_order()
    {
        Assert.Equal("epoch,step,lr,seconds,train_loss,train_recon,train_kl,test_loss,test_recon,test_kl,test_elbo_beta1,test_recon_per_feature,"
                     + "test_kl_dim0,test_kl_dim1", string.Join(",", MetricsColumns.Of(2)));
    }

    [Fact]
    public void Every_field_has_its_column_in_header_order()
    {
        Assert.Equal(MetricsColumns.Of(3), MetricsColumns.Named(Epoch).Select(c => c.Column));
        Assert.Equal([2, 40, 1e-4, 3.5, 3, 2, 1, 10, 8, 4, 12, 0.5, 1.5, 2.5, 0], MetricsColumns.Cells(Epoch));
    }

    [Fact]
    public void Cells_read_back_into_the_same_record()
    {
        Assert.Equal(Epoch, MetricsColumns.FromCells(MetricsColumns.Cells(Epoch)));
        // The step times are no column: a record read back has none.
        Assert.Equal(Epoch, MetricsColumns.FromCells(MetricsColumns.Cells(Epoch with { StepTimes = new StepTimePercentiles(1, 2, 3, 4) })));
    }

    [Fact]
    public void The_latent_size_follows_from_a_header_of_the_documented_columns_only()
    {
        Assert.Equal(0, MetricsColumns.LatentDimOf(MetricsColumns.Of(0)));
        Assert.Equal(5, MetricsColumns.LatentDimOf(MetricsColumns.Of(5)));
        Assert.Null(MetricsColumns.LatentDimOf(["epoch", "loss"]));
        Assert.Null(MetricsColumns.LatentDimOf([.. MetricsColumns.Of(2), "step_ms_p50"]));
        Assert.Null(MetricsColumns.LatentDimOf([.. MetricsColumns.Of(2).Reverse()]));
    }

    [Fact]
    public void Epoch_and_step_must_be_whole_numbers()
    {
        var cells = MetricsColumns.Cells(Epoch);
        cells[1] = 40.5;
        Assert.Contains("step", Assert.Throws<InvalidDataException>(() => MetricsColumns.FromCells(cells)).Message);
        Assert.Throws<InvalidDataException>(() => MetricsColumns.FromCells(cells[..5]));
    }
}
