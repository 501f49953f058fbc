using System.Globalization;
using Vae.Simulation.Datasets;

namespace Vae.Simulation.Storage;

/// <summary>
/// Stores an <see cref="HhDataset"/> as HDF5 (readable by h5py, MATLAB, NWB tools). Layout:
/// <c>/traces</c> float32 [N, T] scaled to [0, 1]; <c>/raw_min</c>, <c>/raw_max</c> float64 [N] in mV
/// (<c>raw = raw_min + traces * (raw_max - raw_min)</c>); <c>/parameters</c> float64 [N, 2] (gK, gNa in mS/cm2);
/// <c>/time</c> float64 [T] in ms from the start of recording; <c>/split</c> uint8 [N] (0 train, 1 test);
/// <c>/spike_count</c> int32 [N]; the protocol, seed, solver settings, noise (<see cref="HhNoiseAttributes"/>) and the
/// content hash as root attributes, and for one shard of a dataset its place in the whole (<see cref="HhFileLayout.ShardPrefix"/> attributes).
/// The arrays are written from the dataset's own buffers, without a second copy of the traces.
/// </summary>
public static class Hdf5DatasetWriter
{
    /// <summary>File format version, stored as the root attribute <c>format_version</c>.</summary>
    public const int FormatVersion = 1;

    /// <summary>
    /// Writes <paramref name="dataset"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>); if
    /// <paramref name="cancel"/> fires before the file is in place, nothing is left and the write throws.
    /// </summary>
    public static void Write(HhDataset dataset, string path, CancellationToken cancel = default)
    {
        var spec = dataset.Spec;
        var columns = new HhColumns(dataset.Count, dataset.SampleCount, dataset.Scaled, dataset.RawMin, dataset.RawMax,
            spec.ParameterColumns(), dataset.Protocol.TimeAxis(), spec.SplitColumn(), dataset.SpikeCounts);
        WriteFile(columns, Attributes(spec), path, cancel: cancel);
    }

    /// <summary>The root attributes of <paramref name="dataset"/>'s file, in the order they are written.</summary>
    public static IReadOnlyList<(string Name, object Value)> Attributes(HhDatasetSpec dataset)
    {
        var shard = dataset.Shard;
        int trainTotal = DatasetSplit.TrainCount(shard.Total);
        var attributes = new List<(string, object)>
        {
            ("format_version", FormatVersion),
            ("description", "Hodgkin-Huxley voltage traces; traces = (V - raw_min) / (raw_max - raw_min), "
                + "min and max over the protocol's scaling window; parameters columns: gK, gNa (mS/cm2); split: 0 train, 1 test."),
            ("parameter_columns", "gK,gNa"),
        };
        foreach (var (name, value) in dataset.Protocol.Describe())
            attributes.Add(($"protocol_{name}", value));
        attributes.Add((HhFileLayout.ProtocolAttribute, dataset.Protocol.Name));
        attributes.Add((HhFileLayout.SeedAttribute, dataset.Seed is ulong s ? s.ToString(CultureInfo.InvariantCulture) : HhFileLayout.NoSeed));
        attributes.Add(("parameter_source", dataset.ParameterSource));
        attributes.Add((HhFileLayout.TrainCountAttribute, trainTotal));
        attributes.Add((HhFileLayout.TestCountAttribute, shard.Total - trainTotal));
        attributes.Add(("solver", dataset.Solver.Tableau.Name));
        attributes.Add(("rtol", dataset.Solver.RelativeTolerance));
        attributes.Add(("atol", dataset.Solver.AbsoluteTolerance));
        attributes.Add(("generator", $"FunctionalVae Vae.Simulation {typeof(Hdf5DatasetWriter).Assembly.GetName().Version}"));
        attributes.AddRange(HhNoiseAttributes.Of(dataset.Noise));
        if (shard.Count > 1)
        {
            attributes.Add((HhFileLayout.ShardIndex, shard.Index));
            attributes.Add((HhFileLayout.ShardCount, shard.Count));
            attributes.Add((HhFileLayout.ShardFirstRow, shard.First));
            attributes.Add((HhFileLayout.ShardTotal, shard.Total));
        }
        return attributes;
    }

    /// <summary>Writes the layout's datasets and the given root attributes atomically, through <see cref="HhFileWriter"/>.</summary>
    internal static void WriteFile(
        HhColumns columns, IEnumerable<(string Name, object Value)> attributes, string path, bool replace = true, CancellationToken cancel = default)
    {
        using var writer = new HhFileWriter(path, columns.Count, columns.Time, attributes, replace, cancel);
        writer.WriteRows(columns.Traces, 0, columns.Count);
        writer.Complete(columns.RawMin, columns.RawMax, columns.Parameters, columns.Split, columns.SpikeCounts);
    }
}

/// <summary>The arrays of a dataset file: <see cref="Count"/> rows of <see cref="Length"/> samples (flat, row-major).</summary>
internal sealed record HhColumns(int Count, int Length, float[] Traces, double[] RawMin, double[] RawMax, double[] Parameters,
    double[] Time, byte[] Split, int[] SpikeCounts);
