using Vae.Simulation.Datasets;
using Vae.Simulation.Features;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using static Vae.Simulation.Tests.Features.SyntheticTraces;

namespace Vae.Simulation.Tests.Features;

public class EfelFeaturesTests
{
    private static double Feature(double[] row, string name) => row[EfelFeatures.Columns.ToList().IndexOf(name)];

    private static double[] Compute(double[] v, StimulusWindow? window = null) =>
        EfelFeatures.Compute(v, Time(v.Length), window ?? Window, FeatureThresholds.Millivolts);

    [Fact]
    public void Three_synthetic_spikes_give_the_hand_computed_features()
    {
        // Peaks at samples 130, 250, 380 = 13, 25, 38 ms (see SyntheticTraces.Spikes for the shape).
        var row = Compute(Spikes(500, 130, 250, 380));
        Assert.Equal(3, Feature(row, "spike_count"));
        Assert.Equal(3.0, Feature(row, "time_to_first_spike"), 9);               // 13 - 10 ms
        Assert.Equal(3 * 1000.0 / 28.0, Feature(row, "mean_frequency"), 9);      // 3 spikes over 38 - 10 ms, in Hz
        Assert.Equal(12.5, Feature(row, "mean_ISI"), 9);                         // ISIs 12 and 13 ms
        Assert.Equal(Math.Sqrt(0.5) / 12.5, Feature(row, "ISI_CV"), 9);          // sample std sqrt(0.25 + 0.25) / mean
        // AP begin at 120 (-65 mV, see EfelSpikeShapeTests), peak +35 mV.
        Assert.Equal(100.0, Feature(row, "AP1_amp"), 9);
        // Half height (35 - 65) / 2 = -15 mV is met exactly at 125 (rising) and 135 (falling): 13.5 - 12.5 ms.
        Assert.Equal(1.0, Feature(row, "AP1_duration_half_width"), 9);
        // First minimum after the first peak: -75 mV at 141; the voltage base is -65 mV.
        Assert.Equal(-10.0, Feature(row, "AHP1_depth"), 9);
        Assert.Equal(-65.0, Feature(row, "voltage_base"), 9);
    }

    [Fact]
    public void Voltage_base_averages_the_last_tenth_before_onset_both_ends_included()
    {
        // Samples 90..100 (9 to 10 ms) are 0, 1, ..., 10 mV: mean 5; samples before 90 must not count.
        var v = Enumerable.Repeat(-65.0, 200).ToArray();
        for (int k = 90; k <= 100; k++) v[k] = k - 90;
        Assert.Equal(5.0, Feature(Compute(v), "voltage_base"), 12);
        Assert.True(double.IsNaN(EfelFeatures.VoltageBaseOf(v, Time(200), 0.0, 0.1)));   // onset at 0: no time before it
    }

    [Fact]
    public void Without_spikes_only_the_count_and_the_voltage_base_are_defined()
    {
        var row = Compute(Enumerable.Repeat(-65.0, 300).ToArray());
        Assert.Equal(0, Feature(row, "spike_count"));
        Assert.Equal(-65.0, Feature(row, "voltage_base"));
        Assert.All(EfelFeatures.Columns.Except(["spike_count", "voltage_base"]), c => Assert.True(double.IsNaN(Feature(row, c)), c));
    }

    [Fact]
    public void One_spike_has_no_isi_and_its_ahp_runs_to_the_end_of_the_trace()
    {
        var row = Compute(Spikes(300, 130));
        Assert.Equal(1, Feature(row, "spike_count"));
        Assert.Equal(1000.0 / 3.0, Feature(row, "mean_frequency"), 9);   // one spike 3 ms after onset
        Assert.True(double.IsNaN(Feature(row, "mean_ISI")));
        Assert.True(double.IsNaN(Feature(row, "ISI_CV")));
        Assert.Equal(-10.0, Feature(row, "AHP1_depth"), 9);
        Assert.Equal(1.0, Feature(row, "AP1_duration_half_width"), 9);   // AP end found before the trace ends
    }

    [Fact]
    public void Two_spikes_have_a_mean_isi_but_no_cv()
    {
        var row = Compute(Spikes(400, 130, 250));
        Assert.Equal(12.0, Feature(row, "mean_ISI"), 9);
        Assert.True(double.IsNaN(Feature(row, "ISI_CV")));
    }

    [Fact]
    public void An_ahp_still_falling_at_the_end_of_the_stimulus_is_undefined()
    {
        // The stimulus ends at 13.8 ms, during the fall after the 13 ms peak: the minimum up to there is the range's
        // last sample (137), which eFEL discards; the trace-long window finds the -75 mV trough.
        var v = Spikes(500, 130);
        var t = Time(500);
        var cut = EfelFeatures.Compute(v, t, new StimulusWindow(Onset, t[138]), FeatureThresholds.Millivolts);
        Assert.True(double.IsNaN(Feature(cut, "AHP1_depth")));
        Assert.Equal(1, Feature(cut, "spike_count"));
    }

    [Fact]
    public void A_spike_whose_rise_starts_before_the_search_bound_has_no_amplitude()
    {
        // The rise of the first spike is already under way two samples before onset (its foot is at 120 = 12 ms, onset
        // here 12.5 ms): eFEL's AP-begin search starts at onset - 2 samples and finds no dV/dt <= 10 mV/ms there.
        var row = Compute(Spikes(500, 130, 250), new StimulusWindow(12.5, double.PositiveInfinity));
        Assert.Equal(2, Feature(row, "spike_count"));
        Assert.True(double.IsNaN(Feature(row, "AP1_amp")));
        Assert.True(double.IsNaN(Feature(row, "AP1_duration_half_width")));
        // The voltage base (11.25 to 12.5 ms: samples 113-125) now holds the foot of the rise: eight samples of -65 mV
        // and -55, -45, -35, -25, -15 mV.
        Assert.Equal(-75.0 - (8 * -65.0 - 55 - 45 - 35 - 25 - 15) / 13, Feature(row, "AHP1_depth"), 9);
    }

    [Fact]
    public void Simulated_report_trace_matches_the_values_checked_by_hand_and_against_efel()
    {
        // Trace 0 of the report protocol with seed 0 (gK, gNa drawn by the sampler), in mV as the dataset stores it.
        // How it was checked: the samples were written out (t, V) and run through eFEL's own C++ core (built from
        // BlueBrain/eFEL's efel/cppcore sources with a small driver, DependencyV5.txt, Threshold -20,
        // DerivativeThreshold 10, DownDerivativeThreshold -12, DerivativeWindow 3, strict_stiminterval 1,
        // stim_start 10, stim_end 1e9): peak_indices 1168 2413 3618 4820, AP_begin_indices[0] 1001, AP_amplitude[0]
        // 105.765001187, AP_duration_half_width[0] 1.53, all_ISI_values 12.45 12.05 12.02, mean_frequency 104.712042,
        // voltage_base -64.476288035, AHP_depth[0] -9.83193944 (eFEL's re-interpolated time axis accumulates rounding:
        // its values differ from ours by < 2e-9). By eye on the samples: V peaks at +41.44 mV at 11.68 ms; the step
        // (15 uA/cm2, dV/dt = I / Cm = 15 mV/ms at rest) pushes dV/dt above 10 mV/ms at once and it stays there up to
        // the peak, so the AP begin is the first sample after onset (10.01 ms, -64.33 mV); the first trough is
        // -74.31 mV at 14.58 ms. Tolerances allow for integrator changes within its accuracy (1e-3 mV, 1e-5 ms).
        var data = DatasetGenerator.FromSeed(HhProtocol.Report, 1, 0, SolverOptions.Default);
        var v = data.RawTrace(0);
        var row = EfelFeatures.Compute(v, HhProtocol.Report.TimeAxis(), StimulusWindow.Of(HhProtocol.Report), FeatureThresholds.Millivolts);
        Assert.Equal(4, Feature(row, "spike_count"));
        Assert.Equal(1.68, Feature(row, "time_to_first_spike"), tolerance: 1e-9);
        Assert.Equal(4000.0 / (48.20 - 10.0), Feature(row, "mean_frequency"), tolerance: 1e-6);
        Assert.Equal((12.45 + 12.05 + 12.02) / 3, Feature(row, "mean_ISI"), 6);
        double mean = (12.45 + 12.05 + 12.02) / 3;
        double sd = Math.Sqrt((Math.Pow(12.45 - mean, 2) + Math.Pow(12.05 - mean, 2) + Math.Pow(12.02 - mean, 2)) / 2);
        Assert.Equal(sd / mean, Feature(row, "ISI_CV"), 6);
        Assert.Equal(105.765, Feature(row, "AP1_amp"), tolerance: 0.01);
        Assert.Equal(1.53, Feature(row, "AP1_duration_half_width"), tolerance: 1e-9);
        Assert.Equal(-9.832, Feature(row, "AHP1_depth"), tolerance: 0.01);
        Assert.Equal(-64.476, Feature(row, "voltage_base"), tolerance: 0.01);
        Assert.Equal(v[1168] - v[1001], Feature(row, "AP1_amp"), 12);
        Assert.Equal(v[1458] - Feature(row, "voltage_base"), Feature(row, "AHP1_depth"), 12);
    }
}
