using System.Buffers.Binary;
using System.IO.Compression;

namespace Vae.Runs.Data;

/// <summary>Images of an IDX file (type ubyte, 3 dimensions): <c>Count</c> images of <c>Rows</c> x <c>Cols</c> bytes, row-major.</summary>
public sealed record IdxImages(int Count, int Rows, int Cols, byte[] Pixels);

/// <summary>
/// Reader for the IDX format of the MNIST files (big-endian header: magic 0x0000080N where N is the number of
/// dimensions, then N sizes). Validates magic, dimensions and length; reads raw or gzip-compressed files.
/// Problems are reported as <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static class Idx
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>The file's bytes, decompressed if it is gzip (detected by its magic bytes, not its name).</summary>
    public static byte[] ReadBytes(string path)
    {
        var raw = File.ReadAllBytes(path);
        return IsGzip(raw) ? Gunzip(raw, path) : raw;
    }

    /// <summary>Whether <paramref name="bytes"/> start with the gzip magic number.</summary>
    public static bool IsGzip(byte[] bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    /// <summary>Decompresses a gzip stream; <paramref name="name"/> names it in errors.</summary>
    public static byte[] Gunzip(byte[] gz, string name)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            // GZipStream accepts a truncated stream silently; the trailer's ISIZE (length mod 2^32) catches that.
            if (gz.Length < 18 || BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 4)) != (uint)output.Length)
                throw new InvalidDataException($"{name}: truncated or corrupt gzip data (length does not match its trailer)");
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name}: corrupt gzip data ({e.Message})");
        }
    }

    /// <summary>Parses an images file; <paramref name="name"/> names it in errors.</summary>
    public static IdxImages ParseImages(byte[] data, string name)
    {
        var dims = Header(data, ImagesMagic, 3, name);
        var (count, rows, cols) = (dims[0], dims[1], dims[2]);
        if (rows <= 0 || cols <= 0)
            throw new InvalidDataException($"{name}: image size {rows}x{cols} is not valid");
        long expected = 16L + (long)count * rows * cols;
        CheckLength(data, expected, name);
        return new IdxImages(count, rows, cols, data.AsSpan(16).ToArray());
    }

    /// <summary>Parses a labels file; <paramref name="name"/> names it in errors.</summary>
    public static byte[] ParseLabels(byte[] data, string name)
    {
        var count = Header(data, LabelsMagic, 1, name)[0];
        CheckLength(data, 8L + count, name);
        return data.AsSpan(8).ToArray();
    }

    private static int[] Header(byte[] data, int magic, int ndims, string name)
    {
        var headerLength = 4 + 4 * ndims;
        if (data.Length < headerLength)
            throw new InvalidDataException($"{name}: truncated ({data.Length} bytes, shorter than the {headerLength}-byte IDX header)");
        var found = BinaryPrimitives.ReadInt32BigEndian(data);
        if (found != magic)
            throw new InvalidDataException($"{name}: bad magic number 0x{found:x8}, expected 0x{magic:x8} (is this the right IDX file?)");
        var dims = new int[ndims];
        for (var i = 0; i < ndims; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4 + 4 * i));
            if (dims[i] < 0)
                throw new InvalidDataException($"{name}: negative dimension {dims[i]} in the header");
        }
        return dims;
    }

    private static void CheckLength(byte[] data, long expected, string name)
    {
        if (data.Length < expected)
            throw new InvalidDataException($"{name}: truncated ({data.Length} bytes, the header promises {expected})");
        if (data.Length > expected)
            throw new InvalidDataException($"{name}: {data.Length - expected} unexpected bytes after the data the header describes");
    }
}
