using Vae.Simulation.Numerics;

namespace Vae.Runs.Settings;

/// <summary>
/// Counter-based seeds: every random choice of a run is a pure function of (master seed, purpose, counter),
/// so resuming from a checkpoint needs no generator state and gives the same numbers.
/// </summary>
public static class Seeds
{
    /// <summary>A seed for <paramref name="purpose"/> number <paramref name="counter"/> of a run with <paramref name="seed"/>.</summary>
    public static long Derive(long seed, Purpose purpose, long counter) =>
        (long)(SplitMix64.NextFrom(SplitMix64.NextFrom(SplitMix64.NextFrom((ulong)seed) ^ (ulong)purpose) ^ (ulong)counter) >> 1);

    /// <summary>What a derived seed is for; distinct purposes give independent streams.</summary>
    public enum Purpose : ulong
    {
        /// <summary>Parameter initialization.</summary>
        Init = 1,
        /// <summary>Batch order of an epoch (counter: epoch, or 0 for one fixed shuffle).</summary>
        Shuffle = 2,
        /// <summary>Reparameterization noise of a training step (counter: step).</summary>
        TrainNoise = 3,
        /// <summary>Noise of the test-set evaluation (counter: 0, the same every epoch).</summary>
        EvalNoise = 4,
        /// <summary>Samples from the prior.</summary>
        Generate = 5,
        /// <summary>The latent analysis: cross-validation folds, PCA, permutations, importance samples.</summary>
        Analysis = 6,
        /// <summary>Measurement noise added to the training traces (counter: epoch; the trace's file row picks its stream).</summary>
        MeasurementNoise = 7,
    }
}
