namespace Vae.TestSupport;

/// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven, and the masked form TFRecord files store.</summary>
public static class Crc32C
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(i =>
    {
        var c = (uint)i;
        for (var k = 0; k < 8; k++)
            c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        return c;
    }).ToArray();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Of(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    /// <summary>The masked CRC of TFRecord framing: rotated right by 15 bits plus a constant.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Of(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
