using System.Numerics;
using System.Runtime.InteropServices;

namespace Vae.Simulation.Storage;

/// <summary>
/// One CRC-32C per trace of a dataset file (<see cref="HhFileLayout.TraceChecksums"/>), of the row's float32 bytes as
/// stored: written with the traces, checked whenever they are read whole, so a damaged file is reported with the
/// trace it damaged rather than only as a content hash that differs. CRC-32C (Castagnoli, the iSCSI and ext4 one) runs
/// on the processor's CRC instruction where there is one: about a microsecond per 5,000-sample trace.
/// </summary>
public static class TraceChecksums
{
    /// <summary>The CRC-32C of one stored row.</summary>
    public static uint Of(ReadOnlySpan<float> row) => Of(MemoryMarshal.AsBytes(row));

    /// <summary>The CRC-32C of <paramref name="bytes"/>.</summary>
    public static uint Of(ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        uint crc = ~0u;
        foreach (var w in words)
            crc = BitOperations.Crc32C(crc, w);
        foreach (var b in bytes[(words.Length * sizeof(ulong))..])
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>
    /// Throws an <see cref="InvalidDataException"/> naming the first trace of rows <paramref name="first"/> .. whose
    /// checksum differs from <paramref name="stored"/> (files written before checksums were stored have none: null).
    /// </summary>
    public static void Check(string path, uint[]? stored, int first, ReadOnlySpan<float> rows, int length)
    {
        if (stored is null)
            return;
        for (var k = 0; k < rows.Length / length; k++)
            if (Of(rows.Slice(k * length, length)) != stored[first + k])
                throw new InvalidDataException($"{path}: trace {first + k} is damaged (its checksum differs from the one written with it); "
                    + "simulate the dataset again.");
    }
}
