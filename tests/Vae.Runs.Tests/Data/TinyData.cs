using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Runs.Tests.Data;

/// <summary>
/// Tiny HH dataset files made once per test process with the simulation library, as `simulate` writes them (report
/// protocol, default solver): d40.h5 (40 traces of seed 0) and seed5-n20.h5 (20 traces of seed 5).
/// </summary>
public static class TinyData
{
    private static readonly Lazy<string> Shared = new(Make);

    /// <summary>The shared folder (made on first use).</summary>
    public static string Dir => Shared.Value;

    private static string Make()
    {
        var dir = Directory.CreateTempSubdirectory("fvae-tinydata-").FullName;
        foreach (var (name, count, seed) in new[] { ("d40.h5", 40, 0UL), ("seed5-n20.h5", 20, 5UL) })
            Hdf5DatasetWriter.Write(DatasetGenerator.FromSeed(HhProtocol.Report, count, seed, SolverOptions.Default, threads: 1),
                Path.Combine(dir, name));
        return dir;
    }
}
