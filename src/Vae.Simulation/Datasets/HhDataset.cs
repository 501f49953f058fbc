using Vae.Simulation.Integration;
using Vae.Simulation.Noise;
using Vae.Simulation.Protocols;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Datasets;

/// <summary>
/// N simulated traces of one protocol: each min-max scaled to [0, 1] (float32, row i at
/// <c>Scaled[i*SampleCount ..]</c>) with the raw min and max that undo the scaling, the conductances, spike counts,
/// the split and how the data were made.
/// </summary>
public sealed class HhDataset
{
    /// <summary>
    /// Allocates an empty dataset for <paramref name="conductances"/>.Length traces: the whole dataset, or the rows of
    /// <paramref name="shard"/> when given (then <paramref name="conductances"/> are that shard's rows), with
    /// <paramref name="noise"/> (default none).
    /// </summary>
    public HhDataset(HhProtocol protocol, Conductances[] conductances, SolverOptions solver, ulong? seed, string parameterSource,
        DatasetShard? shard = null, HhNoise? noise = null)
    {
        Spec = new HhDatasetSpec(protocol, conductances, solver, seed, parameterSource, shard ?? DatasetShard.Whole(conductances.Length))
        {
            Noise = noise ?? HhNoise.None,
        };
        Spec.Validate();
        Scaled = new float[(long)conductances.Length * SampleCount];
        RawMin = new double[conductances.Length];
        RawMax = new double[conductances.Length];
        SpikeCounts = new int[conductances.Length];
    }

    /// <summary>What the dataset is made of: protocol, conductances, solver, their source and its rows.</summary>
    public HhDatasetSpec Spec { get; }
    /// <summary>The protocol simulated.</summary>
    public HhProtocol Protocol => Spec.Protocol;
    /// <summary>gK and gNa of each trace.</summary>
    public Conductances[] Conductances => Spec.Conductances;
    /// <summary>Integration settings used.</summary>
    public SolverOptions Solver => Spec.Solver;
    /// <summary>The master seed the conductances were drawn from, or null when they came from a file.</summary>
    public ulong? Seed => Spec.Seed;
    /// <summary>"seed" or the parameter file the conductances came from.</summary>
    public string ParameterSource => Spec.ParameterSource;
    /// <summary>Number of traces (of this shard, when it is one).</summary>
    public int Count => Spec.Count;
    /// <summary>Which rows of the whole dataset these are (all of them unless the dataset was made in shards).</summary>
    public DatasetShard Shard => Spec.Shard;
    /// <summary>Samples per trace.</summary>
    public int SampleCount => Spec.SampleCount;
    /// <summary>Scaled traces, row-major <c>Count x SampleCount</c>.</summary>
    public float[] Scaled { get; }
    /// <summary>Minimum of each raw trace over the protocol's scaling window (mV).</summary>
    public double[] RawMin { get; }
    /// <summary>Maximum of each raw trace over the protocol's scaling window (mV).</summary>
    public double[] RawMax { get; }
    /// <summary>Upward 0 mV crossings in each kept trace.</summary>
    public int[] SpikeCounts { get; }
    /// <summary>The first <see cref="TrainCount"/> traces are the training set, the rest the test set (see <see cref="HhDatasetSpec"/>).</summary>
    public int TrainCount => Spec.TrainCount;
    /// <summary>Work of all solves together.</summary>
    public SolveStatistics Statistics { get; internal set; }

    /// <summary>Trace <paramref name="i"/> as stored (scaled).</summary>
    public ReadOnlySpan<float> ScaledTrace(int i) => Scaled.AsSpan(i * SampleCount, SampleCount);

    /// <summary>Trace <paramref name="i"/> in mV, undoing the scaling.</summary>
    public double[] RawTrace(int i)
    {
        var raw = new double[SampleCount];
        TraceScaling.Unscale(ScaledTrace(i), RawMin[i], RawMax[i], raw);
        return raw;
    }
}
