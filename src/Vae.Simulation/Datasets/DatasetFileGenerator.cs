using Vae.Simulation.Integration;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Datasets;

/// <summary>
/// Simulates a dataset straight into its HDF5 file, a block of rows at a time (<see cref="DatasetGenerator"/> for
/// each block, <see cref="HhFileWriter"/> for the file): memory holds one block of traces and a few numbers per
/// trace, whatever the number of traces, so a file larger than memory can be made. The file is the one
/// <c>Hdf5DatasetWriter.Write(DatasetGenerator.Simulate(...))</c> writes, byte for byte: each trace depends only on
/// its conductances, not on the block it was simulated in.
/// </summary>
public static class DatasetFileGenerator
{
    /// <summary>Rows simulated, or copied by `simulate merge`, and written at a time: 20 MB of traces of 5,000 samples.</summary>
    public const int BlockRows = 1024;

    /// <summary>What was written.</summary>
    /// <param name="Path">The file.</param>
    /// <param name="Spec">What the dataset is made of.</param>
    /// <param name="SpikeCounts">Upward 0 mV crossings of each trace.</param>
    /// <param name="Statistics">Work of all solves together.</param>
    /// <param name="ContentHash">The file's content hash.</param>
    public sealed record Written(string Path, HhDatasetSpec Spec, int[] SpikeCounts, SolveStatistics Statistics, string ContentHash);

    /// <summary>
    /// Simulates <paramref name="spec"/> into <paramref name="path"/> (replacing a file there only if
    /// <paramref name="replace"/>); <paramref name="progress"/> receives the number of traces done. Before any work it
    /// checks the cells and that the disk has room for the file. An error or a cancellation leaves no file. Memory holds
    /// <paramref name="blockRows"/> traces at a time.
    /// </summary>
    public static Written Write(HhDatasetSpec spec, string path, int? threads = null, Action<int>? progress = null, bool replace = true,
        CancellationToken cancel = default, int blockRows = BlockRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        spec.Validate();
        int threadCount = DatasetGenerator.CheckedThreads(threads);
        DatasetGenerator.ValidateCells(spec);
        DiskSpace.Require(path, HhFileWriter.FileBytes(spec.Count, spec.SampleCount));
        int n = spec.Count, samples = spec.SampleCount;
        var block = new float[(long)Math.Min(blockRows, n) * samples];
        var rows = new TraceRows(block, 0, new double[n], new double[n], new int[n]);
        var statistics = new SolveStatistics();
        using var writer = new HhFileWriter(path, n, spec.Protocol.TimeAxis(), Hdf5DatasetWriter.Attributes(spec), replace, cancel);
        for (int first = 0; first < n; first += blockRows)
        {
            int count = Math.Min(blockRows, n - first);
            int before = first;
            var done = DatasetGenerator.SimulateRows(spec, first, count, rows with { ScaledFirstRow = first }, threadCount,
                progress is null ? null : k => progress(before + k), cancel);
            statistics.Add(done);
            writer.WriteRows(block, 0, count);
        }
        string hash = writer.Complete(rows.RawMin, rows.RawMax, spec.ParameterColumns(), spec.SplitColumn(), rows.SpikeCounts);
        return new Written(path, spec, rows.SpikeCounts, statistics, hash);
    }
}
