using System.Buffers.Binary;
using System.Text;

namespace Vae.TestSupport;

/// <summary>One summary value of a TensorBoard event: a scalar (<see cref="Scalar"/>) or another kind, e.g. a histogram.</summary>
/// <param name="Step">The event's step.</param>
/// <param name="WallTime">The event's wall time, seconds since the Unix epoch.</param>
/// <param name="Tag">The value's tag.</param>
/// <param name="Scalar">The scalar, or null for another kind of value.</param>
/// <param name="Histogram">Whether the value is a histogram.</param>
/// <param name="Image">The encoded image (PNG), or null.</param>
public sealed record EventValue(long Step, double WallTime, string Tag, float? Scalar, bool Histogram, byte[]? Image = null);

/// <summary>
/// Reads a TensorBoard event file: TFRecord framing (uint64 length, masked CRC-32C of the length, the data, masked
/// CRC-32C of the data; both checked) around Event protocol buffers, parsed as far as the tests need: wall time,
/// step, file version, and the summary's tags with their scalar or histogram values.
/// </summary>
public static class EventFile
{
    /// <summary>The file version of the first record and the summary values of every record.</summary>
    public static (string? FileVersion, List<EventValue> Values) Read(string path)
    {
        var bytes = File.ReadAllBytes(path).AsSpan();
        string? version = null;
        var values = new List<EventValue>();
        while (bytes.Length > 0)
        {
            if (bytes.Length < 12)
                throw new InvalidDataException($"{path}: a record header is cut off");
            var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) != Crc32C.Masked(bytes[..8]))
                throw new InvalidDataException($"{path}: bad length CRC");
            var data = bytes.Slice(12, checked((int)length));
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[(12 + (int)length)..]) != Crc32C.Masked(data))
                throw new InvalidDataException($"{path}: bad data CRC");
            version = ParseEvent(data.ToArray(), values) ?? version;
            bytes = bytes[(16 + (int)length)..];
        }
        return (version, values);
    }

    // Event: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string), summary = 5 (Summary).
    private static string? ParseEvent(byte[] e, List<EventValue> into)
    {
        double wall = 0;
        long step = 0;
        string? version = null;
        var summaries = new List<byte[]>();
        foreach (var (field, varint, bytes) in Fields(e))
            switch (field)
            {
                case 1: wall = BitConverter.Int64BitsToDouble((long)varint); break;
                case 2: step = (long)varint; break;
                case 3: version = Encoding.UTF8.GetString(bytes!); break;
                case 5: summaries.Add(bytes!); break;
            }
        // Summary: value = 1 (repeated Value); Value: tag = 1, simple_value = 2 (float), image = 4, histo = 5;
        // Image: encoded_image_string = 4.
        foreach (var summary in summaries)
            foreach (var (_, _, value) in Fields(summary).Where(f => f.Field == 1))
            {
                string tag = "";
                float? scalar = null;
                var histogram = false;
                byte[]? image = null;
                foreach (var (field, number, bytes) in Fields(value!))
                    switch (field)
                    {
                        case 1: tag = Encoding.UTF8.GetString(bytes!); break;
                        case 2: scalar = BitConverter.Int32BitsToSingle((int)number); break;
                        case 4: image = Fields(bytes!).Where(f => f.Field == 4).Select(f => f.Bytes).Single(); break;
                        case 5: histogram = true; break;
                    }
                into.Add(new EventValue(step, wall, tag, scalar, histogram, image));
            }
        return version;
    }

    // The fields of a message: number, the value of a varint or fixed-size field, or the bytes of a length-delimited one.
    private static IEnumerable<(int Field, ulong Number, byte[]? Bytes)> Fields(byte[] message)
    {
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0: yield return (field, Varint(message, ref at), null); break;
                case 1: yield return (field, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(at)), null); at += 8; break;
                case 5: yield return (field, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at)), null); at += 4; break;
                case 2:
                    var n = (int)Varint(message, ref at);
                    yield return (field, 0, message[at..(at + n)]);
                    at += n;
                    break;
                default: throw new InvalidDataException($"protobuf wire type {wire} of field {field} is not read here");
            }
        }
    }

    private static ulong Varint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
    }
}
