using Vae.Runs.Training;
using Vae.Runs.Settings;

namespace Vae.Runs.Tests.Training;

public class BatchOrderTests
{
    [Fact]
    public void None_keeps_dataset_order()
    {
        Assert.Equal(Enumerable.Range(0, 10), BatchOrder.ForEpoch(10, ShuffleMode.None, 1, 3));
    }

    [Fact]
    public void Shuffles_are_permutations_seeded_and_reproducible()
    {
        var a = BatchOrder.ForEpoch(1000, ShuffleMode.Epoch, 7, 0);
        Assert.Equal(Enumerable.Range(0, 1000), a.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), a);
        Assert.Equal(a, BatchOrder.ForEpoch(1000, ShuffleMode.Epoch, 7, 0));
        Assert.NotEqual(a, BatchOrder.ForEpoch(1000, ShuffleMode.Epoch, 7, 1));
        Assert.NotEqual(a, BatchOrder.ForEpoch(1000, ShuffleMode.Epoch, 8, 0));
    }

    [Fact]
    public void Fixed_uses_one_shuffle_for_every_epoch()
    {
        Assert.Equal(BatchOrder.ForEpoch(100, ShuffleMode.Fixed, 3, 0), BatchOrder.ForEpoch(100, ShuffleMode.Fixed, 3, 5));
    }

    [Fact]
    public void Partial_last_batch_is_dropped()
    {
        Assert.Equal(386, BatchOrder.BatchesPerEpoch(24_754, 64));
        Assert.Equal(500, BatchOrder.BatchesPerEpoch(8_000, 16));
    }
}
