using Vae.Simulation.Features;

namespace Vae.Simulation.Tests.Features;

/// <summary>Piecewise-linear traces whose features can be worked out by hand (the tests say how).</summary>
internal static class SyntheticTraces
{
    public const double Dt = 0.1;
    public const double Onset = 10.0;
    public static readonly StimulusWindow Window = new(Onset, double.PositiveInfinity);

    public static double[] Time(int n) => Enumerable.Range(0, n).Select(k => k * Dt).ToArray();

    /// <summary>
    /// -65 mV at rest; each spike peaking at sample p rises by 10 mV per sample from -65 mV at p - 10 to +35 mV at p
    /// (100 mV/ms), falls by 10 mV per sample to -75 mV at p + 11 (-100 mV/ms) and recovers by 0.5 mV per sample to
    /// -65 mV at p + 31 (5 mV/ms).
    /// </summary>
    public static double[] Spikes(int n, params int[] peaks)
    {
        var v = Enumerable.Repeat(-65.0, n).ToArray();
        foreach (int p in peaks)
        {
            for (int j = 0; j <= 10; j++) Set(v, p - 10 + j, -65 + 10 * j);
            for (int j = 0; j <= 11; j++) Set(v, p + j, 35 - 10 * j);
            for (int j = 0; j <= 20; j++) Set(v, p + 11 + j, -75 + 0.5 * j);
        }
        return v;
    }

    private static void Set(double[] v, int k, double value)
    {
        if (k >= 0 && k < v.Length) v[k] = value;
    }
}
