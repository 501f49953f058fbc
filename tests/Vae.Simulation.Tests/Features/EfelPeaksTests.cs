using Vae.Simulation.Features;
using static Vae.Simulation.Tests.Features.SyntheticTraces;

namespace Vae.Simulation.Tests.Features;

public class EfelPeaksTests
{
    private static List<int> Peaks(double[] v, StimulusWindow window)
    {
        var peaks = new List<int>();
        EfelPeaks.Find(v, Time(v.Length), -20, window, peaks);
        return peaks;
    }

    [Fact]
    public void Peaks_are_the_maxima_between_crossings_of_minus_20_mV()
    {
        // Each spike crosses -20 mV upwards at p - 5 (-25 -> -15 mV) and downwards at p + 6 (-15 -> -25 mV); its
        // maximum in between is the +35 mV sample at p.
        Assert.Equal([130, 250, 380], Peaks(Spikes(500, 130, 250, 380), Window));
    }

    [Fact]
    public void Only_peaks_inside_the_stimulus_window_count()
    {
        var v = Spikes(500, 50, 130, 380);
        var t = Time(500);
        Assert.Equal([130, 380], Peaks(v, Window));                        // the 5 ms peak is before onset
        Assert.Equal([130], Peaks(v, new StimulusWindow(Onset, 30)));      // the 38 ms peak is after the end
        Assert.Equal([130], Peaks(v, new StimulusWindow(t[130], t[130]))); // both bounds are inclusive
    }

    [Fact]
    public void A_trace_starting_or_ending_above_threshold_loses_those_partial_spikes()
    {
        // Starts at +35 mV (a downward crossing with no upward one before it) and ends during a spike's rise (an
        // upward crossing with no downward one after it): eFEL drops both.
        var v = Spikes(300, 0, 130, 295);
        Assert.Equal([130], Peaks(v, new StimulusWindow(0, double.PositiveInfinity)));
    }

    [Fact]
    public void A_sample_exactly_at_threshold_is_neither_below_nor_above()
    {
        // -25, -20, -15: neither pair has one sample strictly below and the next strictly above, as in eFEL.
        double[] v = [-65, -25, -20, -15, 10, -15, -25, -65];
        Assert.Empty(Peaks(v, new StimulusWindow(0, double.PositiveInfinity)));
    }

    [Fact]
    public void No_crossing_means_no_peaks()
    {
        Assert.Empty(Peaks(Enumerable.Repeat(-65.0, 100).ToArray(), Window));
        Assert.Empty(Peaks(Enumerable.Repeat(0.0, 100).ToArray(), Window));
    }
}
