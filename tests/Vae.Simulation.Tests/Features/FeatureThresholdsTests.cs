using Vae.Simulation.Features;
using static Vae.Simulation.Tests.Features.SyntheticTraces;

namespace Vae.Simulation.Tests.Features;

public class FeatureThresholdsTests
{
    [Fact]
    public void Defaults_are_efels_and_sbis()
    {
        var mv = FeatureThresholds.Millivolts;
        Assert.Equal((-20.0, 10.0, -12.0, 3, 0.1),
            (mv.SpikeThreshold, mv.DerivativeThreshold, mv.DownDerivativeThreshold, mv.DerivativeWindow, mv.VoltageBaseFraction));
        Assert.Equal((-10.0, 0.5), (mv.SbiSpikeThreshold, mv.SbiMinSpikeSeparationMs));
    }

    [Fact]
    public void Scaling_maps_voltages_like_samples_and_derivatives_by_the_span()
    {
        var s = FeatureThresholds.Millivolts.ToScaled(-80, 20);      // x = (V + 80) / 100
        Assert.Equal(0.6, s.SpikeThreshold, 12);
        Assert.Equal(0.7, s.SbiSpikeThreshold, 12);
        Assert.Equal(0.1, s.DerivativeThreshold, 12);
        Assert.Equal(-0.12, s.DownDerivativeThreshold, 12);
        Assert.Equal(0.5, s.SbiMinSpikeSeparationMs);
        Assert.Throws<SimulationInputException>(() => FeatureThresholds.Millivolts.ToScaled(5, 5));
    }

    [Fact]
    public void Features_of_a_trace_mapped_with_its_thresholds_are_the_mapped_features()
    {
        // The same affine map applied to trace and thresholds: event times do not move, voltages map like samples,
        // amplitudes and depths divide by the span, moments follow their powers of the span.
        const double low = -80, high = 45, span = high - low;
        var v = Spikes(500, 130, 250, 380);
        var x = v.Select(u => (u - low) / span).ToArray();
        var t = Time(500);
        var scaled = FeatureThresholds.Millivolts.ToScaled(low, high);
        var efelMv = EfelFeatures.Compute(v, t, Window, FeatureThresholds.Millivolts);
        var efelX = EfelFeatures.Compute(x, t, Window, scaled);
        string[] same = ["spike_count", "time_to_first_spike", "mean_frequency", "mean_ISI", "ISI_CV", "AP1_duration_half_width"];
        foreach (var name in EfelFeatures.Columns)
        {
            int j = EfelFeatures.Columns.ToList().IndexOf(name);
            double expected = same.Contains(name) ? efelMv[j] : name == "voltage_base" ? (efelMv[j] - low) / span : efelMv[j] / span;
            Assert.Equal(expected, efelX[j], 9);
        }
        var sbiMv = SbiStatistics.Compute(v, t, Window, FeatureThresholds.Millivolts);
        var sbiX = SbiStatistics.Compute(x, t, Window, scaled);
        Assert.Equal(sbiMv[0], sbiX[0]);
        Assert.Equal((sbiMv[1] - low) / span, sbiX[1], 9);
        Assert.Equal(sbiMv[2] / span, sbiX[2], 9);
        Assert.Equal((sbiMv[3] - low) / span, sbiX[3], 9);
        Assert.Equal(sbiMv[4] / (span * span), sbiX[4], 9);
        Assert.Equal(sbiMv[5], sbiX[5], 9);
        Assert.Equal(sbiMv[6], sbiX[6], 9);
    }
}
