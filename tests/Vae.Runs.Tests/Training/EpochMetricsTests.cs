using Vae.Model;
using Vae.Runs.Training;
using Vae.Runs.Metrics;

namespace Vae.Runs.Tests.Training;

public class EpochMetricsTests
{
    private static readonly Losses.Metrics Test = new(10.0, 8.0, 4.0, [1.5, 2.5, 0.0]);

    [Fact]
    public void An_epoch_holds_the_training_means_and_the_test_totals()
    {
        var m = EpochMetrics.Of(2, 40, 1e-4, 3.5, (Loss: 60.0, Recon: 40.0, Kl: 20.0), batches: 20, Test, features: 16);
        Assert.Equal((2, 40L, 1e-4, 3.5), (m.Epoch, m.Step, m.LearningRate, m.Seconds));
        Assert.Equal(new TrainMeans(3, 2, 1), m.Train);
        Assert.Equal((10.0, 8.0, 4.0, 12.0, 0.5), (m.Test.Loss, m.Test.Recon, m.Test.Kl, m.Test.ElboBeta1, m.Test.ReconPerFeature));
        Assert.Equal([1.5, 2.5, 0.0], m.Test.KlPerDimension);
        Assert.Equal(3, m.LatentDim);
        Assert.Null(m.StepTimes);
    }

    [Fact]
    public void Equal_numbers_make_equal_records_whatever_holds_the_per_dimension_kl()
    {
        var a = TestMetrics.Of(Test, 16);
        var b = TestMetrics.Of(new Losses.Metrics(10.0, 8.0, 4.0, [1.5, 2.5, 0.0]), 16);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, a with { KlPerDimension = [1.5, 2.5] });
        Assert.NotEqual(a, a with { KlPerDimension = [1.5, 2.5, 1e-300] });
    }

    [Fact]
    public void Step_time_percentiles_come_from_the_sorted_step_times()
    {
        Assert.Null(new EpochStepTimes(0).Percentiles());
        var times = new EpochStepTimes(10);
        foreach (var s in new[] { 10, 1, 9, 2, 8, 3, 7, 4, 6, 5 })
            times.Add(s / 1000.0);
        // Index floor(q * n) of the sorted times, in milliseconds: the 2nd, 6th and 10th of 10.
        Assert.Equal(new StepTimePercentiles(0.002 * 1e3, 0.006 * 1e3, 0.010 * 1e3, 0.010 * 1e3), times.Percentiles());
    }
}
