using Vae.Runs.Experiments;
using Vae.Runs.Settings;

namespace Vae.Runs.Tests.Experiments;

/// <summary>The study's sweeps as the original work ran them.</summary>
public class PaperSweepsTests
{
    [Fact]
    public void The_paper_sweeps_have_the_original_configs()
    {
        var all = PaperSweeps.All("hh.h5", null);
        Assert.Equal(15 + 5 + 9 + 2, all.Count);
        Assert.Equal(all.Count, all.Select(e => e.Name).Distinct().Count());
        Assert.All(all, e => Assert.Equal(100, e.Config.Epochs));
        Assert.All(all.Where(e => e.Config.Dataset == Dataset.Hh),
            e => Assert.Equal((16, ShuffleMode.None, "hh.h5"), (e.Config.BatchSize, e.Config.Shuffle, e.Config.HhData)));
        Assert.All(all.Where(e => e.Config.Dataset == Dataset.Mnist),
            e => Assert.Equal((64, ShuffleMode.Fixed, 128), (e.Config.BatchSize, e.Config.Shuffle, e.Config.Threshold)));
    }
}
