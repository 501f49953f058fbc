namespace Vae.Simulation.Storage;

/// <summary>
/// Names of the datasets and root attributes of an HH dataset file (docs/simulation.md, "HDF5 layout"); the
/// writer, the reader and the merge of shards all spell them from here.
/// </summary>
public static class HhFileLayout
{
    /// <summary>float32 [N, T]: each trace min-max scaled to [0, 1].</summary>
    public const string Traces = "traces";
    /// <summary>float64 [N]: minimum of the raw trace over the scaling window (mV).</summary>
    public const string RawMin = "raw_min";
    /// <summary>float64 [N]: maximum of the raw trace over the scaling window (mV).</summary>
    public const string RawMax = "raw_max";
    /// <summary>float64 [N, 2]: gK, gNa (mS/cm2).</summary>
    public const string Parameters = "parameters";
    /// <summary>float64 [T]: sample times from the start of recording (ms).</summary>
    public const string Time = "time";
    /// <summary>uint8 [N]: 0 = train, 1 = test.</summary>
    public const string Split = "split";
    /// <summary>int32 [N]: upward 0 mV crossings in the kept trace.</summary>
    public const string SpikeCount = "spike_count";

    /// <summary>Root attribute: the protocol's name.</summary>
    public const string ProtocolAttribute = "protocol";
    /// <summary>Root attribute: the master seed as a decimal string, or <see cref="NoSeed"/>.</summary>
    public const string SeedAttribute = "seed";
    /// <summary>Value of <see cref="SeedAttribute"/> when the conductances came from a file.</summary>
    public const string NoSeed = "none";
}
