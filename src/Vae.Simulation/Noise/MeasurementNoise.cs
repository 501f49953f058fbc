using Vae.Simulation.HodgkinHuxley;

namespace Vae.Simulation.Noise;

/// <summary>
/// Additive Gaussian measurement noise on a recorded voltage (mV): white, or an Ornstein-Uhlenbeck process sampled
/// exactly on the output grid, <c>x[k+1] = a x[k] + sigma sqrt(1 - a^2) xi[k]</c> with <c>a = exp(-dt / tau)</c> and
/// <c>x[0] ~ N(0, sigma^2)</c>, so every sample has variance sigma^2 and lag-k correlation a^k, for any dt.
/// </summary>
public static class MeasurementNoise
{
    /// <summary>
    /// Adds the noise of <paramref name="noise"/> for dataset row <paramref name="row"/> to <paramref name="voltage"/>,
    /// sampled every <paramref name="dtMs"/> ms; nothing when the noise has no measurement part.
    /// </summary>
    public static void Add(HhNoise noise, long row, double dtMs, Span<double> voltage)
    {
        if (!noise.HasMeasurement)
            return;
        var stream = new NoiseStream(noise.Seed, row, NoiseStream.Measurement);
        Add(noise.MeasurementSigmaMv, noise.MeasurementTauMs, dtMs, ref stream, voltage);
    }

    /// <summary>
    /// Adds white (<paramref name="tauMs"/> = 0) or OU noise of standard deviation <paramref name="sigma"/> drawn from <paramref name="stream"/>.
    /// </summary>
    public static void Add(double sigma, double tauMs, double dtMs, ref NoiseStream stream, Span<double> voltage)
    {
        if (tauMs == 0)
        {
            for (int i = 0; i < voltage.Length; i++)
                voltage[i] += sigma * stream.NextGaussian();
            return;
        }
        double a = Math.Exp(-dtMs / tauMs);
        // sqrt(1 - a^2) via -expm1(-2 dt/tau): no cancellation when dt is much shorter than tau.
        double innovation = sigma * Math.Sqrt(-HhRates.ExpM1(-2 * dtMs / tauMs));
        double x = sigma * stream.NextGaussian();
        for (int i = 0; i < voltage.Length; i++)
        {
            voltage[i] += x;
            x = a * x + innovation * stream.NextGaussian();
        }
    }
}
