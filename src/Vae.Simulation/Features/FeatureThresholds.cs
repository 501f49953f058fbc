namespace Vae.Simulation.Features;

/// <summary>
/// The constants the feature definitions need, in the units of the trace they are applied to. <see cref="Millivolts"/>
/// holds eFEL's defaults (settings.py: Threshold -20 mV, DerivativeThreshold 10 mV/ms, DownDerivativeThreshold
/// -12 mV/ms, DerivativeWindow 3 samples, voltage_base over the last 10 % before onset) and sbi's (-10 mV clamp,
/// spikes at least 0.5 ms apart).
/// </summary>
public sealed record FeatureThresholds
{
    /// <summary>eFEL spike detection: peaks between upward and downward crossings of this voltage.</summary>
    public required double SpikeThreshold { get; init; }
    /// <summary>eFEL AP begin: where dV/dt (per ms) rises to and stays at or above this.</summary>
    public required double DerivativeThreshold { get; init; }
    /// <summary>eFEL AP end: where dV/dt (per ms), after its steepest fall, comes back to or above this.</summary>
    public required double DownDerivativeThreshold { get; init; }
    /// <summary>eFEL AP begin: samples over which dV/dt must stay at or above <see cref="DerivativeThreshold"/>.</summary>
    public int DerivativeWindow { get; init; } = 3;
    /// <summary>Fraction of the time before onset, ending at onset, over which the voltage base is averaged.</summary>
    public double VoltageBaseFraction { get; init; } = 0.1;
    /// <summary>sbi spike detection: voltages below this are clamped to it before peaks are looked for.</summary>
    public required double SbiSpikeThreshold { get; init; }
    /// <summary>sbi spike detection: a peak within this time (ms) of the previous one is not a new spike.</summary>
    public double SbiMinSpikeSeparationMs { get; init; } = 0.5;

    /// <summary>The defaults of eFEL and sbi, for traces in mV.</summary>
    public static FeatureThresholds Millivolts { get; } = new()
    {
        SpikeThreshold = -20.0,
        DerivativeThreshold = 10.0,
        DownDerivativeThreshold = -12.0,
        SbiSpikeThreshold = -10.0,
    };

    /// <summary>
    /// These thresholds moved through the affine map <c>x = (V - low) / (high - low)</c>: voltages map like
    /// samples, derivatives scale by <c>1 / (high - low)</c>; times and sample counts are unchanged.
    /// </summary>
    public FeatureThresholds ToScaled(double low, double high)
    {
        double span = high - low;
        if (!(span > 0) || !double.IsFinite(span))
            throw new SimulationInputException($"the scaling map needs low < high, both finite; got low = {low}, high = {high}.");
        return this with
        {
            SpikeThreshold = (SpikeThreshold - low) / span,
            DerivativeThreshold = DerivativeThreshold / span,
            DownDerivativeThreshold = DownDerivativeThreshold / span,
            SbiSpikeThreshold = (SbiSpikeThreshold - low) / span,
        };
    }
}
