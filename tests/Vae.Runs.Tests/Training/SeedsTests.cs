using Vae.Runs.Training;
using Vae.Runs.Settings;

namespace Vae.Runs.Tests.Training;

/// <summary>Golden values: derived seeds and shuffles keep the bits that runs made so far were trained with.</summary>
public class SeedsTests
{
    [Fact]
    public void Derived_seeds_and_shuffles_keep_their_bits()
    {
        Assert.Equal(2431782952858440772L, Seeds.Derive(5, Seeds.Purpose.Shuffle, 3));
        Assert.Equal([7, 9, 4, 2, 3, 8, 5, 1, 6, 0], BatchOrder.ForEpoch(10, ShuffleMode.Epoch, 7, 2));
    }
}
