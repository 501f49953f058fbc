using System.Diagnostics;

namespace Vae.Simulation.Features;

/// <summary>What <see cref="FeatureFiles.Write"/> wrote.</summary>
/// <param name="Columns">The feature columns.</param>
/// <param name="Rows">Rows (traces) written.</param>
/// <param name="Undefined">NaN values per column.</param>
/// <param name="ScaledMap">The dataset-wide map (mV) that moved the thresholds into scaled units.</param>
/// <param name="Writing">Time spent writing the files (the rest went to reading and computing).</param>
public sealed record FeatureFilesSummary(IReadOnlyList<string> Columns, int Rows, long[] Undefined, (double Low, double High) ScaledMap,
    TimeSpan Writing);

/// <summary>
/// The <see cref="FeatureTable"/> of a dataset computed and written to its HDF5 file and CSV a block of rows at a
/// time: memory holds one block's features and the threads' blocks of traces, besides the per-trace arrays, whatever
/// the number of traces. The files hold the same values and text as <see cref="FeatureTableWriter.Write"/> of the table
/// computed in memory.
/// </summary>
public static class FeatureFiles
{
    /// <summary>Rows computed and written at a time by default: 1,024 rows of 32 features are 256 KiB.</summary>
    public const int DefaultBlockRows = 1024;

    /// <summary>
    /// Computes every feature of <paramref name="traces"/> (with gK, gNa per trace in <paramref name="parameters"/>,
    /// row-major N x 2) and writes both files, <paramref name="blockRows"/> rows at a time; neither file appears unless
    /// both are complete, also when <paramref name="cancel"/> fires (checked between blocks) or a step fails.
    /// <paramref name="progress"/> hears the number of rows done after each block.
    /// </summary>
    public static FeatureFilesSummary Write(FeatureTraces traces, double[] parameters, string source, string hdf5Path, string csvPath,
        int? threads = null, int blockRows = DefaultBlockRows, Action<int>? progress = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        if (parameters.Length != 2 * traces.Count)
            throw new ArgumentException($"{parameters.Length} parameters for {traces.Count} traces; need gK, gNa per trace.", nameof(parameters));
        var rows = new FeatureTableRows(traces, threads);
        int n = traces.Count, width = rows.Columns.Count;
        var header = new FeatureFilesHeader(rows.Columns, traces.IsTrain, FeatureTable.Conductance(parameters, 0),
            FeatureTable.Conductance(parameters, 1), traces.Stimulus, rows.ScaledMap, source);
        var values = new double[(long)Math.Min(blockRows, n) * width];
        var undefined = new long[width];
        var writing = new Stopwatch();
        using var writer = new FeatureFilesWriter(hdf5Path, csvPath, header, cancel);
        for (int first = 0; first < n; first += blockRows)
        {
            cancel.ThrowIfCancellationRequested();
            int count = Math.Min(blockRows, n - first);
            rows.Compute(first, count, values);
            for (int k = 0; k < count * width; k++)
                if (double.IsNaN(values[k]))
                    undefined[k % width]++;
            writing.Start();
            writer.WriteRows(values.AsSpan(0, count * width), count);
            writing.Stop();
            progress?.Invoke(first + count);
        }
        writing.Start();
        writer.Complete();
        writing.Stop();
        return new FeatureFilesSummary(rows.Columns, n, undefined, rows.ScaledMap, writing.Elapsed);
    }
}
