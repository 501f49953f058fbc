using PureHDF;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Storage;

/// <summary>
/// An HH dataset read back whole into memory from the HDF5 layout that <see cref="Hdf5DatasetWriter"/> writes
/// (<see cref="HhFileLayout"/>, docs/simulation.md): scaled traces [N, T], per-trace raw min/max (mV), gK/gNa [N, 2], the
/// time axis and the train/test split. <see cref="HhStreamedFile"/> reads the traces from the file on demand instead.
/// </summary>
public sealed record HhFile(
    string Path, float[] Traces, int Count, int Length, double[] RawMin, double[] RawMax,
    double[] Parameters, double[] Time, byte[] Split, string Protocol, string Seed)
    : HhDatasetFile(Path, Count, Length, RawMin, RawMax, Parameters, Time, Split, Protocol, Seed)
{
    private string? _contentHash;

    /// <summary>
    /// The content hash of the arrays (<see cref="HhContentHash"/>), computed from them: files written before the
    /// hash was stored have it too, and a stored one that disagrees is refused when the file is read.
    /// </summary>
    public override string ContentHash => _contentHash ??= HhContentHash.Of(Count, Length, Traces, RawMin, RawMax, Parameters, Split, Noise);

    /// <inheritdoc/>
    public override void ReadRows(int first, int count, Span<float> into) =>
        Traces.AsSpan(first * Length, count * Length).CopyTo(into);

    /// <inheritdoc/>
    public override void Millivolts(int i, Span<double> into) =>
        TraceScaling.Unscale(Traces.AsSpan(i * Length, Length), RawMin[i], RawMax[i], into);

    /// <summary>Number of training traces (split 0) of a file, reading only its /split.</summary>
    public static int TrainCount(string path)
    {
        try
        {
            using var file = H5File.OpenRead(path);
            HhFileReading.RefuseShard(path, file);
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
        using var file = HhFileReading.Open(path);
        return HhFileReading.Guarded(path, () =>
        {
            var h = HhFileReading.ReadHeader(path, file);
            var traces = file.Dataset(HhFileLayout.Traces).Read<float[]>();
            var hh = new HhFile(path, traces, h.Count, h.Length, h.RawMin, h.RawMax, h.Parameters, h.Time, h.Split, h.Protocol, h.Seed)
            {
                Noise = h.Noise,
            };
            hh.Validate();
            TraceChecksums.Check(path, h.Checksums, 0, hh.Traces, hh.Length);
            HhFileReading.CheckHash(path, h.StoredHash, hh.ContentHash);
            return hh;
        });
    }

    private void Validate()
    {
        Require(Traces.Length == Count * Length, "/traces size does not match its shape");
        ValidateArrays();
        Require(Traces.All(float.IsFinite), NonFiniteTraces);
    }
}
