using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Runs.Data;

/// <summary>
/// HH datasets generated on first use into <c>&lt;data dir&gt;/hh/</c>, keyed by protocol, seed and count, so a
/// second run with the same settings reuses the file. Processes that start together (array tasks) simulate a
/// dataset once: one fills it under a lock beside the file while the others wait, and the file appears by an
/// atomic rename only when complete.
/// </summary>
public static class HhCache
{
    /// <summary>The cache path of a dataset.</summary>
    public static string PathFor(string dataRoot, string protocol, long seed, int count) =>
        Path.Combine(dataRoot, "hh", $"{protocol}-seed{seed}-n{count}.h5");

    /// <summary>
    /// The cached dataset simulated with <paramref name="protocol"/> from the conductances of a parameter CSV
    /// (e.g. the original study's draws with protocol seed-code), keyed by the CSV's content.
    /// </summary>
    public static string EnsureFromParameters(
        string dataRoot, string protocol, string csv, int threads, Action<string> log, CancellationToken cancel = default)
    {
        if (!File.Exists(csv))
            throw new InvalidDataException($"parameter file {csv} does not exist; pass the CSV of gK, gNa per trace.");
        var key = MnistFetcher.Sha256Of(File.ReadAllBytes(csv))[..16];
        var path = Path.Combine(dataRoot, "hh", $"{protocol}-params{key}.h5");
        return FillOnce(path, threads, log, cancel, () =>
        {
            log($"simulating the traces of {csv} (protocol {protocol}) into {path}");
            var cells = ParameterCsv.Read(csv);
            if (cells.Length == 0)
                throw new Vae.Simulation.SimulationInputException("the parameter list is empty.");
            return new HhDatasetSpec(HhProtocol.FromName(protocol), cells, SolverOptions.Default, null, Path.GetFullPath(csv),
                DatasetShard.Whole(cells.Length));
        });
    }

    /// <summary>Returns the cached dataset's path, simulating and writing it first if absent.</summary>
    public static string Ensure(
        string dataRoot, string protocol, long seed, int count, int threads, Action<string> log, CancellationToken cancel = default)
    {
        // Checked before the cache is touched: a dataset that training would refuse is not simulated and kept.
        var train = DatasetSplit.TrainCount(count);
        if (train < 1 || train >= count)
            throw new UserInputException($"an HH dataset of {count} traces has {train} training and {count - train} test traces; "
                + "it needs at least one of each, so at least 3 traces", new Remedy.ChangeSetting("hhCount", "a larger"));
        var path = PathFor(dataRoot, protocol, seed, count);
        CheckPromise(path, protocol, seed, count);
        System.Diagnostics.Stopwatch? started = null;
        FillOnce(path, threads, log, cancel, () =>
        {
            started = System.Diagnostics.Stopwatch.StartNew();
            log($"simulating {count} HH traces (protocol {protocol}, seed {seed}) into {path}");
            var proto = HhProtocol.FromName(protocol);
            return new HhDatasetSpec(proto, ParameterSampler.DrawMany(proto, (ulong)seed, count), SolverOptions.Default, (ulong)seed, "seed",
                DatasetShard.Whole(count));
        });
        if (started is not null)
            log($"  done in {started.Elapsed.TotalSeconds:F1} s");
        else
            CheckPromise(path, protocol, seed, count); // filled by a process this one waited for
        return path;
    }

    // A cache file is used only if it holds what its name promises: a file copied or renamed into the cache
    // would otherwise train a run on other traces than its config.json says.
    private static void CheckPromise(string path, string protocol, long seed, int count)
    {
        if (!File.Exists(path))
            return;
        var (heldProtocol, heldSeed, heldCount) = HhFile.Describe(path);
        var seedText = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (heldProtocol != protocol || heldSeed != seedText || heldCount != count)
            throw new InvalidDataException($"cache file {path} holds protocol {heldProtocol}, seed {heldSeed}, {heldCount} traces, "
                + "not what its name promises "
                + $"(protocol {protocol}, seed {seed}, {count} traces); remove it to simulate it again.");
    }

    // The file at `path`, simulated and written by this process unless it exists; processes that start together
    // wait on a lock beside it, and the one that fills it writes by atomic rename, so the others find it whole.
    // The traces go to the file a block at a time: memory does not grow with their number.
    private static string FillOnce(string path, int threads, Action<string> log, CancellationToken cancel, Func<HhDatasetSpec> spec)
    {
        if (File.Exists(path))
            return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var held = FileLock.Acquire(path + ".lock", log, cancel: cancel);
        if (File.Exists(path))
            return path; // filled by the process we waited for
        DatasetFileGenerator.Write(spec(), path, threads, cancel: cancel);
        return path;
    }
}
