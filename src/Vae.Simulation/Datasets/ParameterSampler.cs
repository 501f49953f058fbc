using Vae.Simulation.Numerics;
using Vae.Simulation.Protocols;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Datasets;

/// <summary>
/// Draws trace i's conductances from (seed, i) alone with a counter-based generator (SplitMix64's mixing function
/// applied to a key made of seed, index and stream), so any trace can be made on its own, in any order, on any
/// thread, and a dataset of N traces is the prefix of one of N + 1.
/// </summary>
public static class ParameterSampler
{
    /// <summary>gK and gNa of trace <paramref name="index"/>, uniform over the protocol's ranges.</summary>
    public static Conductances Draw(HhProtocol protocol, ulong seed, long index) =>
        new(protocol.GkRange.At(Uniform(seed, index, 0)), protocol.GnaRange.At(Uniform(seed, index, 1)));

    /// <summary>Conductances of traces 0 .. count-1.</summary>
    public static Conductances[] DrawMany(HhProtocol protocol, ulong seed, int count) => DrawRange(protocol, seed, 0, count);

    /// <summary>Conductances of traces first .. first+count-1 (the rows of a shard), the same as those rows of a longer draw.</summary>
    public static Conductances[] DrawRange(HhProtocol protocol, ulong seed, int first, int count)
    {
        var result = new Conductances[count];
        for (int i = 0; i < count; i++)
            result[i] = Draw(protocol, seed, first + i);
        return result;
    }

    /// <summary>A uniform double in [0, 1) determined by (seed, index, stream), with 53 random bits.</summary>
    public static double Uniform(ulong seed, long index, int stream)
    {
        ulong key = SplitMix64.Mix(seed ^ SplitMix64.Gamma);
        ulong x = SplitMix64.Mix(key + (ulong)index * 0xD1B54A32D192ED03UL + (ulong)stream * 0xABC98388FB8FAC03UL);
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
