using System.Security.Cryptography;
using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Tests.Datasets;

/// <summary>
/// A dataset without noise is byte for byte the file written before noise existed: the golden SHA-256 of the whole
/// file was taken from commit ac07e1e (the last one without noise) with this same test.
/// </summary>
public class NoiseFreeBytesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fvae-noise-free-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    [Fact]
    public void A_noise_free_file_keeps_its_bytes()
    {
        var path = Path.Combine(_folder, "report.h5");
        Hdf5DatasetWriter.Write(DatasetGenerator.FromSeed(HhProtocol.Report, 5, 0, SolverOptions.Default, threads: 1), path);
        var sha = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();
        Assert.Equal("154cc5926798d7100b89b87d53b370a8095c5a1175f2011025109b13485f0008", sha);
    }
}
