using Vae.Simulation.Traces;

namespace Vae.Simulation.Tests.Traces;

/// <summary>Spike samples are those within the documented window around each upward 0 mV crossing.</summary>
public sealed class SpikeWindowsTests
{
    [Fact]
    public void Marks_the_window_around_each_crossing_and_nothing_else()
    {
        // 0.1 ms samples at -60 mV, with +20 mV for 10 samples from samples 100 and 400.
        const double dt = 0.1;
        var v = Enumerable.Repeat(-60.0, 500).ToArray();
        foreach (var at in new[] { 100, 400 })
            for (var k = at; k < at + 10; k++)
                v[k] = 20;
        // Linear interpolation puts the crossings at samples 99.75 and 399.75 (9.975 and 39.975 ms): windows
        // [7.975, 14.975] and [37.975, 44.975] ms, i.e. samples 80..149 and 380..449.
        var spike = new bool[v.Length];
        Assert.Equal(2, SpikeWindows.Mark(v, dt, spike));
        Assert.Equal(Enumerable.Range(0, v.Length).Select(k => k is >= 80 and <= 149 or >= 380 and <= 449).ToArray(), spike);
    }

    [Fact]
    public void A_spike_at_the_edges_is_cut_to_the_trace_and_no_spike_marks_nothing()
    {
        const double dt = 0.5;
        var v = new double[] { -70, 10, 10, -70, -70, -70, -70, -70, -70, -70, -70, -70, -70, -70, -70, -70, -70, -70, 5 };
        var spike = new bool[v.Length];
        Assert.Equal(2, SpikeWindows.Mark(v, dt, spike));
        // Crossings at 0.875 samples (0.4375 ms) and 17.933 samples (8.97 ms): windows [0, 10.875] and [13.93, 18].
        Assert.Equal(Enumerable.Range(0, v.Length).Select(k => k <= 10 || k >= 14).ToArray(), spike);
        Assert.Equal(0, SpikeWindows.Mark(Enumerable.Repeat(-65.0, 19).ToArray(), dt, spike));
        Assert.DoesNotContain(true, spike);
    }

    [Fact]
    public void A_mask_of_another_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SpikeWindows.Mark(new double[5], 0.1, new bool[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpikeWindows.Mark(new double[5], 0, new bool[5]));
    }
}
