using Vae.Simulation.Features;
using static Vae.Simulation.Tests.Features.SyntheticTraces;

namespace Vae.Simulation.Tests.Features;

public class EfelSpikeShapeTests
{
    [Fact]
    public void Derivative_is_central_inside_and_one_sided_at_the_ends()
    {
        // v = t^2 on t = 0, 0.5, 1, 1.5: central differences are exact for a parabola (2t), the ends are not.
        double[] t = [0, 0.5, 1, 1.5], v = [0, 0.25, 1, 2.25];
        Assert.Equal(0.5, EfelSpikeShape.Derivative(v, t, 0), 12);   // (0.25 - 0) / 0.5
        Assert.Equal(1.0, EfelSpikeShape.Derivative(v, t, 1), 12);
        Assert.Equal(2.0, EfelSpikeShape.Derivative(v, t, 2), 12);
        Assert.Equal(2.5, EfelSpikeShape.Derivative(v, t, 3), 12);   // (2.25 - 1) / 0.5
    }

    [Fact]
    public void Ap_begin_is_the_foot_of_the_rise()
    {
        // dV/dt at p - 11 is 0 (flat on both sides), at p - 10 it is (-55 + 65) / 0.2 = 50 mV/ms, then 100 mV/ms:
        // the last sample at or below 10 mV/ms is p - 11, so the begin is p - 10 = 120, and 50, 100, 100 stay above.
        var v = Spikes(500, 130);
        Assert.Equal(120, EfelSpikeShape.ApBegin(v, Time(500), 130, 98, 10, 3));
    }

    [Fact]
    public void Ap_begin_passes_over_a_rise_shorter_than_the_window()
    {
        // A ramp of 3 mV per sample (30 mV/ms) from sample 20 to 30, flat at -35 mV for 31-32, then a jump to the peak
        // at 34. dV/dt (central differences over 0.2 ms): 0 at 19, 15 at 20, 30 at 21-29, 15 at 30, 0 at 31, 175 at 32,
        // 375 at 33, -325 at 34. Back from the peak the last value <= 10 is at 31, so the first candidate begin is 32,
        // but dV/dt falls below 10 within 3 samples of it (at 34): eFEL searches on from 30 down, finds 0 at 19 and
        // takes 20, where 15, 30, 30 stay above 10.
        var v = new double[60];
        for (int k = 0; k < 60; k++)
            v[k] = k switch
            {
                < 20 => -65,
                <= 30 => -65 + 3 * (k - 20),
                31 or 32 => -35,
                33 => 0,
                34 => 40,
                _ => -65,
            };
        var t = Time(60);
        Assert.Equal(20, EfelSpikeShape.ApBegin(v, t, 34, 0, 10, 3));
        // With the search bounded at 21 no value <= 10 is left once 32 fails: no begin.
        Assert.Equal(-1, EfelSpikeShape.ApBegin(v, t, 34, 21, 10, 3));
    }

    [Fact]
    public void Ap_end_is_where_the_fall_slows_to_the_down_threshold()
    {
        // After the peak at 130 dV/dt is -100 mV/ms from 131 to 140 (the steepest fall is among them), -47.5 at the
        // trough (141) and (-74 + 75) / 0.2 = 5 at 142: the first sample from 131 on at or above -12 mV/ms is 142.
        var v = Spikes(500, 130, 250);
        var t = Time(500);
        Assert.Equal(142, EfelSpikeShape.ApEnd(v, t, 130, 250, -12));
        Assert.Equal(-1, EfelSpikeShape.ApEnd(v, t, 130, 138, -12));     // the next peak comes before the fall slows
        Assert.Equal(-1, EfelSpikeShape.ApEnd(v, t, 130, 131, -12));     // empty range
    }

    [Fact]
    public void Closest_takes_the_first_sample_nearest_the_level()
    {
        double[] v = [0, 1, 2, 3, 2, 1];
        Assert.Equal(3, EfelSpikeShape.Closest(v, 0, 6, 2.6));
        Assert.Equal(2, EfelSpikeShape.Closest(v, 0, 6, 2.0));           // 2 and 4 tie: the first
        Assert.Equal(3, EfelSpikeShape.Closest(v, 3, 3, 0.0));           // empty range: its start
    }

    [Fact]
    public void First_minimum_stops_at_a_minimum_two_samples_do_not_undercut()
    {
        Assert.Equal(1, EfelSpikeShape.FirstMinimum([5, 3, 4, 4, 1], 0, 5));   // 3 is followed by 4, 4: first minimum
        Assert.Equal(4, EfelSpikeShape.FirstMinimum([5, 3, 2, 4, 1], 0, 5));   // never two in a row: overall minimum
        Assert.Equal(2, EfelSpikeShape.FirstMinimum([5, 3, 2, 2, 2], 0, 5));   // equal samples count as not below
        Assert.Equal(-1, EfelSpikeShape.FirstMinimum([1, 2], 1, 1));
    }

    [Fact]
    public void Search_bounds_follow_efel()
    {
        var t = Time(200);
        Assert.Equal(100, EfelSpikeShape.FirstIndexAtOrAfter(t, 10.0));
        Assert.Equal(200, EfelSpikeShape.FirstIndexAtOrAfter(t, 1e9));
        Assert.Equal(98, EfelSpikeShape.FirstSpikeSearchStart(100));
        Assert.Equal(0, EfelSpikeShape.FirstSpikeSearchStart(1));
        Assert.Equal(0, EfelSpikeShape.FirstSpikeSearchStart(0));
    }
}
