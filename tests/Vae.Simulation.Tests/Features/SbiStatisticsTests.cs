using Vae.Simulation.Datasets;
using Vae.Simulation.Features;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using static Vae.Simulation.Tests.Features.SyntheticTraces;

namespace Vae.Simulation.Tests.Features;

public class SbiStatisticsTests
{
    private static double Statistic(double[] row, string name) => row[SbiStatistics.Columns.ToList().IndexOf(name)];

    private static double[] Compute(double[] v, StimulusWindow? window = null) =>
        SbiStatistics.Compute(v, Time(v.Length), window ?? Window, FeatureThresholds.Millivolts);

    /// <summary>
    /// 501 samples, 0.1 ms apart: -65 mV up to 8.9 ms, then alternating -66, -64 mV for 9.0-9.9 ms; +100 mV exactly
    /// at onset (10 ms, in neither window); then 400 samples (10.1-50 ms) in blocks of 100: 25 at 0 mV, 25 at 40 mV,
    /// 50 at 0 mV.
    /// </summary>
    private static double[] TwoLevelTrace()
    {
        var v = new double[501];
        for (int k = 0; k < 90; k++) v[k] = -65;
        for (int k = 90; k < 100; k++) v[k] = k % 2 == 0 ? -66 : -64;
        v[100] = 100;
        for (int k = 101; k < 501; k++) v[k] = (k - 101) % 100 is >= 25 and < 50 ? 40 : 0;
        return v;
    }

    [Fact]
    public void Moments_of_a_two_level_trace_are_those_of_its_distribution()
    {
        // Before onset: mean -65, and over 9-10 ms (-66, -64 alternating) a population std of 1. During the stimulus
        // the values are 40 mV with p = 1/4, else 0: mean 40 p = 10, variance 40^2 p (1 - p) = 300, skewness
        // (1 - 2p) / sqrt(p (1 - p)) = 2 / sqrt(3), kurtosis (1 - 3 p (1 - p)) / (p (1 - p)) = 7 / 3.
        var row = Compute(TwoLevelTrace());
        Assert.Equal(-65.0, Statistic(row, "rest_mean"), 12);
        Assert.Equal(1.0, Statistic(row, "rest_std"), 12);
        Assert.Equal(10.0, Statistic(row, "stim_mean"), 12);
        Assert.Equal(300.0, Statistic(row, "stim_variance"), 10);
        Assert.Equal(2 / Math.Sqrt(3), Statistic(row, "stim_skewness"), 12);
        Assert.Equal(7.0 / 3, Statistic(row, "stim_kurtosis"), 12);
    }

    [Fact]
    public void Spikes_are_marked_before_each_peak_of_the_clamped_trace()
    {
        // Each 40 mV block ends with a fall: its last sample is set to the -10 mV clamp, so the one before it marks a
        // spike; the four blocks are 10 ms apart.
        Assert.Equal(4, Statistic(Compute(TwoLevelTrace()), "spike_count"));
        // The synthetic spikes of SyntheticTraces: one mark per spike, at the sample before the +35 mV peak.
        Assert.Equal(3, Statistic(Compute(Spikes(500, 130, 250, 380)), "spike_count"));
        Assert.Equal(0, Statistic(Compute(Enumerable.Repeat(-65.0, 300).ToArray()), "spike_count"));
    }

    [Fact]
    public void A_spike_within_half_a_millisecond_of_the_previous_mark_does_not_count()
    {
        // Two-sample spikes (0 then +20 mV on -65 mV) peaking every 0.4 ms, marked at the 0 mV sample before each peak:
        // each mark is within 0.5 ms of the previous one, so only the first counts (sbi compares with the previous
        // mark, counted or not); a spike 0.6 ms after the last one counts again. (A one-sample peak is never marked:
        // the sample before it is clamped at -10 mV and the peak itself set to the clamp.)
        var v = Enumerable.Repeat(-65.0, 300).ToArray();
        foreach (int p in new[] { 150, 154, 158, 164 })
        {
            v[p - 1] = 0;
            v[p] = 20;
        }
        Assert.Equal(2, SbiStatistics.SpikeCountOf(v, Time(300), Window, -10, 0.5));
        // Marks must lie strictly inside (onset, end): a peak at 15.0 ms gives its mark at 14.9 ms.
        Assert.Equal(0, SbiStatistics.SpikeCountOf(v, Time(300), new StimulusWindow(16.5, double.PositiveInfinity), -10, 0.5));
        Assert.Equal(1, SbiStatistics.SpikeCountOf(v, Time(300), new StimulusWindow(Onset, 15.4), -10, 0.5));
    }

    [Fact]
    public void Simulated_report_trace_matches_sbis_own_function()
    {
        // Trace 0 of the report protocol with seed 0, in mV. Checked by running sbi's calculate_summary_statistics
        // (docs/tutorials/HH_helper_functions.py, numpy 1.24 / scipy 1.10) on the same samples with t_on = 10 and
        // t_off = 1e9: [4, -64.476288076857671, 3.1615307585574131e-07, -50.002647341955914, 816.68687991740182,
        // 1.6224377657902009, 4.5568914312001718]. By eye: 4 spikes (peaks at 11.68, 24.13, 36.18, 48.20 ms); before
        // onset the cell sits at its rest, -64.48 mV, to within a microvolt. Tolerances allow for integrator changes
        // within its accuracy.
        var data = DatasetGenerator.FromSeed(HhProtocol.Report, 1, 0, SolverOptions.Default);
        var row = SbiStatistics.Compute(data.RawTrace(0), HhProtocol.Report.TimeAxis(), StimulusWindow.Of(HhProtocol.Report),
            FeatureThresholds.Millivolts);
        Assert.Equal(4, Statistic(row, "spike_count"));
        Assert.Equal(-64.4763, Statistic(row, "rest_mean"), tolerance: 0.01);
        Assert.InRange(Statistic(row, "rest_std"), 0, 1e-5);
        Assert.Equal(-50.0026, Statistic(row, "stim_mean"), tolerance: 0.01);
        Assert.Equal(816.687, Statistic(row, "stim_variance"), tolerance: 0.1);
        Assert.Equal(1.62244, Statistic(row, "stim_skewness"), tolerance: 1e-3);
        Assert.Equal(4.55689, Statistic(row, "stim_kurtosis"), tolerance: 1e-3);
    }
}
