using PureHDF;
using Vae.Simulation.Datasets;

namespace Vae.Simulation.Storage;

/// <summary>
/// Stores an <see cref="HhDataset"/> as HDF5 (readable by h5py, MATLAB, NWB tools). Layout:
/// <c>/traces</c> float32 [N, T] scaled to [0, 1]; <c>/raw_min</c>, <c>/raw_max</c> float64 [N] in mV
/// (<c>raw = raw_min + traces * (raw_max - raw_min)</c>); <c>/parameters</c> float64 [N, 2] (gK, gNa in mS/cm2);
/// <c>/time</c> float64 [T] in ms from the start of recording; <c>/split</c> uint8 [N] (0 train, 1 test);
/// <c>/spike_count</c> int32 [N]; the protocol, seed and solver settings as root attributes.
/// The arrays are written from the dataset's own buffers, without a second copy of the traces.
/// </summary>
public static class Hdf5DatasetWriter
{
    /// <summary>File format version, stored as the root attribute <c>format_version</c>.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes <paramref name="dataset"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Write(HhDataset dataset, string path)
    {
        ulong n = (ulong)dataset.Count, t = (ulong)dataset.SampleCount;
        var parameters = new double[dataset.Count * 2];
        for (int i = 0; i < dataset.Count; i++)
        {
            parameters[2 * i] = dataset.Conductances[i].GK;
            parameters[2 * i + 1] = dataset.Conductances[i].GNa;
        }
        var split = new byte[dataset.Count];
        for (int i = dataset.TrainCount; i < dataset.Count; i++) split[i] = 1;

        var file = new H5File
        {
            [HhFileLayout.Traces] = new H5Dataset(dataset.Scaled, fileDims: [n, t]),
            [HhFileLayout.RawMin] = dataset.RawMin,
            [HhFileLayout.RawMax] = dataset.RawMax,
            [HhFileLayout.Parameters] = new H5Dataset(parameters, fileDims: [n, 2]),
            [HhFileLayout.Time] = dataset.Protocol.TimeAxis(),
            [HhFileLayout.Split] = split,
            [HhFileLayout.SpikeCount] = dataset.SpikeCounts,
        };
        var attributes = file.Attributes;
        attributes["format_version"] = FormatVersion;
        attributes["description"] = "Hodgkin-Huxley voltage traces; traces = (V - raw_min) / (raw_max - raw_min), "
            + "min and max over the protocol's scaling window; parameters columns: gK, gNa (mS/cm2); split: 0 train, 1 test.";
        attributes["parameter_columns"] = "gK,gNa";
        foreach (var (name, value) in dataset.Protocol.Describe())
            attributes[$"protocol_{name}"] = value;
        attributes[HhFileLayout.ProtocolAttribute] = dataset.Protocol.Name;
        attributes[HhFileLayout.SeedAttribute] = dataset.Seed is ulong s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : HhFileLayout.NoSeed;
        attributes["parameter_source"] = dataset.ParameterSource;
        attributes["n_train"] = dataset.TrainCount;
        attributes["n_test"] = dataset.Count - dataset.TrainCount;
        attributes["solver"] = dataset.Solver.Tableau.Name;
        attributes["rtol"] = dataset.Solver.RelativeTolerance;
        attributes["atol"] = dataset.Solver.AbsoluteTolerance;
        attributes["generator"] = $"FunctionalVae Vae.Simulation {typeof(Hdf5DatasetWriter).Assembly.GetName().Version}";

        AtomicFile.Write(path, temp => file.Write(temp));
    }
}
