using PureHDF;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Storage;

/// <summary>
/// An HH dataset read back from the HDF5 layout that <see cref="Hdf5DatasetWriter"/> writes (<see cref="HhFileLayout"/>,
/// docs/simulation.md): scaled traces [N, T], per-trace raw min/max (mV), gK/gNa [N, 2], the time axis and the
/// train/test split.
/// </summary>
public sealed record HhFile(
    string Path, float[] Traces, int Count, int Length, double[] RawMin, double[] RawMax,
    double[] Parameters, double[] Time, byte[] Split, string Protocol, string Seed)
{
    private string? _contentHash;

    /// <summary>
    /// The content hash of the arrays (<see cref="HhContentHash"/>), computed from them: files written before the
    /// hash was stored have it too, and a stored one that disagrees is refused when the file is read.
    /// </summary>
    public string ContentHash => _contentHash ??= HhContentHash.Of(Count, Length, Traces, RawMin, RawMax, Parameters, Split);

    /// <summary>Indices of the training traces (split 0), in file order.</summary>
    public int[] TrainIndices => Enumerable.Range(0, Count).Where(i => Split[i] == 0).ToArray();
    /// <summary>Indices of the test traces (split 1), in file order.</summary>
    public int[] TestIndices => Enumerable.Range(0, Count).Where(i => Split[i] == 1).ToArray();

    /// <summary>Trace <paramref name="i"/> in mV, undoing the file's per-trace scaling, into <paramref name="into"/> [Length].</summary>
    public void Millivolts(int i, Span<double> into) =>
        TraceScaling.Unscale(Traces.AsSpan(i * Length, Length), RawMin[i], RawMax[i], into);

    /// <summary>Number of training traces (split 0) of a file, reading only its /split.</summary>
    public static int TrainCount(string path)
    {
        try
        {
            using var file = H5File.OpenRead(path);
            RefuseShard(path, file);
            return file.Dataset(HhFileLayout.Split).Read<byte[]>().Count(s => s == 0);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"{path} is not a readable HH dataset ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>The protocol, seed and number of traces a file holds, reading only its attributes and shape.</summary>
    public static (string Protocol, string Seed, int Count) Describe(string path)
    {
        try
        {
            using var file = H5File.OpenRead(path);
            string Attr(string name) => file.AttributeExists(name) ? file.Attribute(name).Read<string>() : "unknown";
            var dims = file.Dataset(HhFileLayout.Traces).Space.Dimensions;
            return (Attr(HhFileLayout.ProtocolAttribute), Attr(HhFileLayout.SeedAttribute), dims.Length == 2 ? (int)dims[0] : -1);
        }
        catch (Exception e)
        {
            throw new InvalidDataException($"{path} is not a readable HH dataset ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>Reads and validates a file; problems are <see cref="InvalidDataException"/> naming the file.</summary>
    public static HhFile Read(string path)
    {
        if (Directory.Exists(path))
            throw new InvalidDataException($"HH dataset {path} is a folder; give a dataset file written by `simulate`.");
        if (!File.Exists(path))
            throw new InvalidDataException($"HH dataset {path} does not exist; create one with `simulate --out {path}`.");
        try
        {
            using var file = H5File.OpenRead(path);
            RefuseShard(path, file);
            T[] Array<T>(string name)
            {
                if (!file.LinkExists(name))
                    throw new InvalidDataException($"{path}: no /{name} dataset; is this a FunctionalVae HH file?");
                return file.Dataset(name).Read<T[]>();
            }
            var dims = file.Dataset(HhFileLayout.Traces).Space.Dimensions;
            if (dims.Length != 2 || dims[0] == 0 || dims[1] == 0)
                throw new InvalidDataException($"{path}: /traces must be a non-empty [N, T] array");
            var (n, t) = ((int)dims[0], (int)dims[1]);
            string Attr(string name) => file.AttributeExists(name) ? file.Attribute(name).Read<string>() : "unknown";
            var hh = new HhFile(path, Array<float>(HhFileLayout.Traces), n, t, Array<double>(HhFileLayout.RawMin), Array<double>(HhFileLayout.RawMax),
                Array<double>(HhFileLayout.Parameters), Array<double>(HhFileLayout.Time), Array<byte>(HhFileLayout.Split),
                Attr(HhFileLayout.ProtocolAttribute), Attr(HhFileLayout.SeedAttribute));
            hh.Validate();
            if (file.AttributeExists(HhFileLayout.ContentHashAttribute)
                && file.Attribute(HhFileLayout.ContentHashAttribute).Read<string>() is var stored
                && stored != hh.ContentHash)
                throw new InvalidDataException($"{path}: its arrays changed after it was written (content {hh.ContentHash}, "
                    + $"recorded {stored}); simulate it again.");
            return hh;
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"{path} is not a readable HH dataset ({e.Message.Split('\n')[0]})");
        }
    }

    // A shard holds only some rows; training on one by mistake would silently use part of the data.
    private static void RefuseShard(string path, IH5Object file)
    {
        if (file.AttributeExists(HhFileLayout.ShardIndex))
            throw new InvalidDataException($"{path} is shard "
                + $"{file.Attribute(HhFileLayout.ShardIndex).Read<int>()}/{file.Attribute(HhFileLayout.ShardCount).Read<int>()} "
                + "of a dataset, not a whole one; join the shards with `simulate merge` first.");
    }

    private void Validate()
    {
        void Require(bool ok, string what)
        {
            if (!ok)
                throw new InvalidDataException($"{Path}: {what}");
        }
        Require(Traces.Length == Count * Length, "/traces size does not match its shape");
        Require(RawMin.Length == Count && RawMax.Length == Count, "/raw_min and /raw_max need one value per trace");
        Require(Parameters.Length == 2 * Count, "/parameters must be [N, 2]");
        Require(Time.Length == Length, "/time needs one value per sample");
        Require(Split.Length == Count && Split.All(s => s <= 1), "/split needs one 0 (train) or 1 (test) per trace");
        Require(Split.Any(s => s == 0) && Split.Any(s => s == 1), "the split needs at least one training and one test trace");
        Require(Traces.All(float.IsFinite), "/traces holds non-finite values (NaN or infinity); simulate the dataset again");
        Require(RawMin.All(double.IsFinite) && RawMax.All(double.IsFinite),
            "/raw_min or /raw_max holds non-finite values (NaN or infinity); simulate the dataset again");
    }
}
