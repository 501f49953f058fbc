using Vae.Simulation.Integration;
using Vae.Simulation.Noise;
using Vae.Simulation.Protocols;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Datasets;

/// <summary>
/// What a dataset is made of, before any trace is simulated: the protocol, each trace's conductances, the solver,
/// where the conductances came from, and which rows of the whole dataset these are (all of them unless the dataset
/// is made in shards; then <see cref="Conductances"/> are the shard's rows), and the noise (none unless set).
/// </summary>
public sealed record HhDatasetSpec(HhProtocol Protocol, Conductances[] Conductances, SolverOptions Solver, ulong? Seed, string ParameterSource,
    DatasetShard Shard)
{
    /// <summary>The noise of every trace (<see cref="HhNoise.None"/>: the deterministic simulator).</summary>
    public HhNoise Noise { get; init; } = HhNoise.None;

    /// <summary>Number of traces (of this shard, when it is one).</summary>
    public int Count => Conductances.Length;

    /// <summary>Samples per trace.</summary>
    public int SampleCount => Protocol.SampleCount;

    /// <summary>
    /// The first <see cref="TrainCount"/> traces are the training set, the rest the test set (as rows of the whole
    /// dataset: a shard holds training rows only, test rows only, or the boundary between them).
    /// </summary>
    public int TrainCount => Math.Clamp(DatasetSplit.TrainCount(Shard.Total) - Shard.First, 0, Count);

    /// <summary>Throws unless the shard is valid and has one row per conductance pair, and the noise fits the protocol.</summary>
    public void Validate()
    {
        Shard.Validate();
        Noise.Validate(Protocol);
        if (Shard.Rows != Conductances.Length)
            throw new ArgumentException($"shard {Shard.Index}/{Shard.Count} has {Shard.Rows} rows, got {Conductances.Length} conductances.",
                nameof(Conductances));
    }

    /// <summary>The gK, gNa pairs as the file's /parameters stores them: [Count, 2] row-major.</summary>
    public double[] ParameterColumns()
    {
        var parameters = new double[Count * 2];
        for (int i = 0; i < Count; i++)
        {
            parameters[2 * i] = Conductances[i].GK;
            parameters[2 * i + 1] = Conductances[i].GNa;
        }
        return parameters;
    }

    /// <summary>The file's /split: 0 for the training rows, 1 for the test rows.</summary>
    public byte[] SplitColumn()
    {
        var split = new byte[Count];
        for (int i = TrainCount; i < Count; i++) split[i] = 1;
        return split;
    }
}
