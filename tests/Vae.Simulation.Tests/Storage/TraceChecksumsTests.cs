using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;
using PureHDF;

namespace Vae.Simulation.Tests.Storage;

public sealed class TraceChecksumsTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-checksums-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    [Fact]
    public void The_checksum_is_crc32c()
    {
        // The check value of CRC-32C (RFC 3720, appendix B.4): "123456789".
        Assert.Equal(0xE3069283u, TraceChecksums.Of("123456789"u8));
        Assert.Equal(0u, TraceChecksums.Of(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void A_file_stores_the_checksum_of_each_trace_and_names_the_trace_a_damaged_byte_is_in()
    {
        var data = DatasetGenerator.FromSeed(HhProtocol.Report, 6, 4, SolverOptions.Default, threads: 1);
        var path = Path.Combine(_tmp, "hh.h5");
        Hdf5DatasetWriter.Write(data, path);
        using (var file = H5File.OpenRead(path))
            Assert.Equal(Enumerable.Range(0, 6).Select(i => TraceChecksums.Of(data.ScaledTrace(i))),
                file.Dataset(HhFileLayout.TraceChecksums).Read<uint[]>());

        // One bit of trace 4 flipped where the file stores it.
        var bytes = File.ReadAllBytes(path);
        var row = System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.ScaledTrace(4));
        int at = bytes.AsSpan().IndexOf(row);
        Assert.True(at > 0);
        bytes[at + 4 * 1234 + 1] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        foreach (var read in new Func<string, object>[] { HhFile.Read, p => { using var f = HhStreamedFile.Open(p); return f; } })
        {
            var e = Assert.Throws<InvalidDataException>(() => read(path));
            Assert.Equal($"{path}: trace 4 is damaged (its checksum differs from the one written with it); simulate the dataset again.", e.Message);
        }
    }
}
