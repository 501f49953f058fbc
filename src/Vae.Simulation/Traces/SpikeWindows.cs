namespace Vae.Simulation.Traces;

/// <summary>
/// Which samples of a trace belong to its spikes: those from <see cref="BeforeMs"/> before to <see cref="AfterMs"/>
/// after each upward 0 mV crossing (<see cref="SpikeDetection"/>). The window holds an HH spike's upstroke from
/// threshold (about 1 ms before the crossing), its peak and repolarization and the trough of the fast
/// after-hyperpolarization (about 3-4 ms after it); the rest of the trace is subthreshold.
/// </summary>
public static class SpikeWindows
{
    /// <summary>Time before each crossing that belongs to the spike (ms).</summary>
    public const double BeforeMs = 2.0;
    /// <summary>Time after each crossing that belongs to the spike (ms).</summary>
    public const double AfterMs = 5.0;

    /// <summary>
    /// Sets <paramref name="spike"/>[k] for every sample k (at time k <paramref name="dt"/>) of
    /// <paramref name="millivolts"/> within a spike's window, clears it for the others; returns the number of spikes.
    /// </summary>
    public static int Mark(ReadOnlySpan<double> millivolts, double dt, Span<bool> spike)
    {
        if (spike.Length != millivolts.Length)
            throw new ArgumentException($"the mask has {spike.Length} samples, the trace {millivolts.Length}.", nameof(spike));
        if (!(dt > 0))
            throw new ArgumentOutOfRangeException(nameof(dt), dt, "the sample spacing must be positive.");
        spike.Clear();
        var times = SpikeDetection.Times(millivolts, dt);
        foreach (var t in times)
        {
            // Samples at times within [t - BeforeMs, t + AfterMs].
            int first = Math.Max(0, (int)Math.Ceiling((t - BeforeMs) / dt - 1e-9));
            int last = Math.Min(spike.Length - 1, (int)Math.Floor((t + AfterMs) / dt + 1e-9));
            for (int k = first; k <= last; k++)
                spike[k] = true;
        }
        return times.Length;
    }
}
