using System.Runtime.CompilerServices;
using Vae.Simulation.Numerics;

namespace Vae.Simulation.Noise;

/// <summary>
/// The random numbers of one trace: a SplitMix64 sequence whose start depends only on (noise seed, row of the whole
/// dataset, stream), so a trace's noise is the same whichever block, thread, lane or shard simulates it. Standard
/// normals by the Box-Muller transform (the one Gaussian sampler of the simulation), two per pair of uniforms.
/// </summary>
public struct NoiseStream
{
    /// <summary>Stream of the measurement noise.</summary>
    public const int Measurement = 0;
    /// <summary>Stream of the intrinsic noise current.</summary>
    public const int Intrinsic = 1;

    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    /// <summary>The stream <paramref name="stream"/> of row <paramref name="row"/> of a dataset with noise seed <paramref name="seed"/>.</summary>
    public NoiseStream(ulong seed, long row, int stream)
    {
        // A different odd multiplier than the conductance draws', so that noise and conductances are not the same bits.
        ulong key = SplitMix64.Mix(seed ^ 0x3C6EF372FE94F82BUL);
        _state = SplitMix64.Mix(key + (ulong)row * 0x9FB21C651E98DF25UL + (ulong)stream * 0xC2B2AE3D27D4EB4FUL);
        _spare = 0;
        _hasSpare = false;
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextBits()
    {
        _state += SplitMix64.Gamma;
        return SplitMix64.Mix(_state);
    }

    /// <summary>A uniform double in (0, 1] with 53 random bits (never 0, so its logarithm is finite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextUniformPositive() => ((NextBits() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>A standard normal draw (Box-Muller: the pair's second value is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double radius = Math.Sqrt(-2.0 * Math.Log(NextUniformPositive()));
        var (sin, cos) = Math.SinCos(2 * Math.PI * NextUniformPositive());
        _spare = radius * sin;
        _hasSpare = true;
        return radius * cos;
    }

    /// <summary>Fills <paramref name="into"/> with standard normal draws times <paramref name="scale"/>.</summary>
    public void FillGaussian(Span<double> into, double scale)
    {
        for (int i = 0; i < into.Length; i++)
            into[i] = scale * NextGaussian();
    }
}
