using Vae.Simulation.Numerics;

using Vae.Runs.Settings;

namespace Vae.Runs.Training;

/// <summary>Seeded batch order; the last partial batch is dropped, as the original did.</summary>
public static class BatchOrder
{
    /// <summary>Number of full batches per epoch.</summary>
    public static int BatchesPerEpoch(int examples, int batchSize) => examples / batchSize;

    /// <summary>The example indices of epoch <paramref name="epoch"/> (0-based), in batch order.</summary>
    public static int[] ForEpoch(int examples, ShuffleMode mode, long seed, int epoch)
    {
        var order = Enumerable.Range(0, examples).ToArray();
        if (mode == ShuffleMode.None)
            return order;
        var state = (ulong)Seeds.Derive(seed, Seeds.Purpose.Shuffle, mode == ShuffleMode.Fixed ? 0 : epoch);
        // Fisher-Yates driven by SplitMix64, so the order is the same on every platform and .NET version. (The state
        // advances before each output, so every output mixes state + 2 Gamma: kept, as every shuffle so far did.)
        for (var i = examples - 1; i > 0; i--)
        {
            state += SplitMix64.Gamma;
            var j = (int)(SplitMix64.NextFrom(state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
