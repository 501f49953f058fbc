using System.Buffers.Binary;
using System.IO.Compression;

namespace Vae.Runs.Tests.Data;

/// <summary>Small synthetic IDX files for the data tests.</summary>
internal static class IdxFixtures
{
    public static byte[] Images(int count, int rows, int cols, Func<int, byte>? pixel = null)
    {
        var data = new byte[16 + count * rows * cols];
        BinaryPrimitives.WriteInt32BigEndian(data, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(12), cols);
        for (var i = 16; i < data.Length; i++)
            data[i] = pixel?.Invoke(i - 16) ?? (byte)((i * 37) % 256);
        return data;
    }

    public static byte[] Labels(params byte[] labels)
    {
        var data = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(data, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), labels.Length);
        labels.CopyTo(data, 8);
        return data;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest))
            gz.Write(raw);
        return ms.ToArray();
    }
}
