namespace Vae.Simulation.Storage;

/// <summary>
/// Names of the datasets and root attributes of an HH dataset file or of one shard of it (docs/simulation.md,
/// "HDF5 layout"); the writer, the reader and the merge of shards all spell them from here.
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
    /// <summary>uint32 [N]: CRC-32C of each row of /traces as stored (<see cref="TraceChecksums"/>).</summary>
    public const string TraceChecksums = "trace_crc32c";

    /// <summary>Root attribute: the protocol's name.</summary>
    public const string ProtocolAttribute = "protocol";
    /// <summary>Root attribute: the master seed as a decimal string, or <see cref="NoSeed"/>.</summary>
    public const string SeedAttribute = "seed";
    /// <summary>Value of <see cref="SeedAttribute"/> when the conductances came from a file.</summary>
    public const string NoSeed = "none";
    /// <summary>Root attributes: the whole dataset's training and test counts (also in a shard's file).</summary>
    public const string TrainCountAttribute = "n_train", TestCountAttribute = "n_test";

    /// <summary>Root attribute: the content hash of the file's arrays (<see cref="HhContentHash"/>), written with them.</summary>
    public const string ContentHashAttribute = "content_sha256";

    /// <summary>Prefix of the attributes only a shard's file has; a merged file has none of them.</summary>
    public const string ShardPrefix = "shard_";
    /// <summary>Shard attribute (int32): which shard, 1-based.</summary>
    public const string ShardIndex = ShardPrefix + "index";
    /// <summary>Shard attribute (int32): of how many shards.</summary>
    public const string ShardCount = ShardPrefix + "count";
    /// <summary>Shard attribute (int32): the shard's first row in the whole dataset.</summary>
    public const string ShardFirstRow = ShardPrefix + "first_row";
    /// <summary>Shard attribute (int32): the number of traces of the whole dataset.</summary>
    public const string ShardTotal = ShardPrefix + "dataset_traces";
}
