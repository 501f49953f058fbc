namespace Vae.Simulation.Numerics;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014), the one implementation every seeded draw of the product uses: the
/// simulation's counter-based conductance draws and the host's derived seeds and shuffles. Changing a bit here
/// changes every dataset and every run, so golden values pin it (tests/Vae.Simulation.Tests/Numerics).
/// </summary>
public static class SplitMix64
{
    /// <summary>The generator's increment (2^64 / golden ratio, odd): its state advances by this per output.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>SplitMix64's output function alone: a bijective mix of 64 bits with good avalanche (Mix(0) = 0).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// The generator's next output from state <paramref name="state"/>: <c>Mix(state + Gamma)</c>, without
    /// keeping the advanced state (the caller holds the state, if any).
    /// </summary>
    public static ulong NextFrom(ulong state) => Mix(state + Gamma);
}
