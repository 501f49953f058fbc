using PureHDF;
using PureHDF.VOL.Native;

namespace Vae.Simulation.Storage;

/// <summary>
/// What reading an HH dataset file in memory (<see cref="HhFile"/>) and on demand (<see cref="HhStreamedFile"/>) share:
/// the checks of the path, the refusal of a shard, the per-trace arrays and attributes, and the traces' shape.
/// </summary>
internal static class HhFileReading
{
    /// <summary>The per-trace arrays, time axis and attributes of a file, and the shape of its traces.</summary>
    internal sealed record Header(int Count, int Length, double[] RawMin, double[] RawMax, double[] Parameters, double[] Time, byte[] Split,
        string Protocol, string Seed, string? StoredHash, uint[]? Checksums, Noise.HhNoise Noise);

    /// <summary>Opens <paramref name="path"/> for reading, refusing a folder, a missing file and a shard.</summary>
    internal static NativeFile Open(string path)
    {
        if (Directory.Exists(path))
            throw new InvalidDataException($"HH dataset {path} is a folder; give a dataset file written by `simulate`.");
        if (!File.Exists(path))
            throw new InvalidDataException($"HH dataset {path} does not exist; create one with `simulate --out {path}`.");
        var file = Guarded(path, () => H5File.OpenRead(path));
        try
        {
            RefuseShard(path, file);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads everything of an open file but its traces.</summary>
    internal static Header ReadHeader(string path, NativeFile file)
    {
        T[] Array<T>(string name)
        {
            if (!file.LinkExists(name))
                throw new InvalidDataException($"{path}: no /{name} dataset; is this a FunctionalVae HH file?");
            return file.Dataset(name).Read<T[]>();
        }
        if (!file.LinkExists(HhFileLayout.Traces))
            throw new InvalidDataException($"{path}: no /{HhFileLayout.Traces} dataset; is this a FunctionalVae HH file?");
        var dims = file.Dataset(HhFileLayout.Traces).Space.Dimensions;
        if (dims.Length != 2 || dims[0] == 0 || dims[1] == 0)
            throw new InvalidDataException($"{path}: /traces must be a non-empty [N, T] array");
        string Attr(string name) => file.AttributeExists(name) ? file.Attribute(name).Read<string>() : "unknown";
        var stored = file.AttributeExists(HhFileLayout.ContentHashAttribute)
            ? file.Attribute(HhFileLayout.ContentHashAttribute).Read<string>()
            : null;
        return new Header((int)dims[0], (int)dims[1], Array<double>(HhFileLayout.RawMin), Array<double>(HhFileLayout.RawMax),
            Array<double>(HhFileLayout.Parameters), Array<double>(HhFileLayout.Time), Array<byte>(HhFileLayout.Split),
            Attr(HhFileLayout.ProtocolAttribute), Attr(HhFileLayout.SeedAttribute), stored,
            file.LinkExists(HhFileLayout.TraceChecksums) ? Array<uint>(HhFileLayout.TraceChecksums) : null, ReadNoise(path, file));
    }

    /// <summary>The noise a file's attributes describe (<see cref="HhNoiseAttributes"/>).</summary>
    internal static Noise.HhNoise ReadNoise(string path, IH5Object file)
    {
        object? Value(string name) => !file.AttributeExists(name) ? null
            : name == HhNoiseAttributes.Seed ? file.Attribute(name).Read<string>() : file.Attribute(name).Read<double>();
        try
        {
            return HhNoiseAttributes.Read(Value);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
    }

    /// <summary>Refuses a file whose arrays changed after it was written.</summary>
    internal static void CheckHash(string path, string? stored, string computed)
    {
        if (stored is not null && stored != computed)
            throw new InvalidDataException(
                $"{path}: its arrays changed after it was written (content {computed}, recorded {stored}); simulate it again.");
    }

    /// <summary>Runs <paramref name="read"/>, turning a failure of the HDF5 reader into one line naming the file.</summary>
    internal static T Guarded<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"{path} is not a readable HH dataset ({e.Message.Split('\n')[0]})");
        }
    }

    // A shard holds only some rows; training on one by mistake would silently use part of the data.
    internal static void RefuseShard(string path, IH5Object file)
    {
        if (file.AttributeExists(HhFileLayout.ShardIndex))
        {
            var (index, count) = (file.Attribute(HhFileLayout.ShardIndex).Read<int>(), file.Attribute(HhFileLayout.ShardCount).Read<int>());
            throw new InvalidDataException(
                $"{path} is shard {index}/{count} of a dataset, not a whole one; join the shards with `simulate merge` first.");
        }
    }
}
