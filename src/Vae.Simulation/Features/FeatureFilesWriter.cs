using System.Text;
using PureHDF;
using PureHDF.Selections;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Features;

/// <summary>
/// Writes a feature table's HDF5 file and CSV (layout in <see cref="FeatureTableWriter"/>) a block of rows at a time,
/// in memory that does not grow with the number of traces: each block's values go to the HDF5 columns through
/// hyperslab selections and to the CSV as text. Both files are made under temporary names and moved into place by
/// <see cref="Complete"/> only when both are whole; a failure, a cancellation or disposing before then leaves neither.
/// </summary>
public sealed class FeatureFilesWriter : IDisposable
{
    private readonly FeatureFilesHeader _header;
    private readonly AtomicFile.PendingFile _h5File, _csvFile;
    private readonly Stream _h5Stream;
    private readonly H5NativeWriter _h5;
    private readonly StreamWriter _csv;
    private readonly H5Dataset<double[]>[] _columns;
    private readonly CancellationToken _cancel;
    private readonly string _csvPath;
    private double[] _column = [];
    private bool _csvOpen = true, _h5Open = true;

    /// <summary>Rows written so far.</summary>
    public int RowsWritten { get; private set; }

    /// <summary>Number of rows (traces) of the table.</summary>
    public int Count => _header.IsTrain.Length;

    /// <summary>Starts both files; an existing file is replaced when the table is complete.</summary>
    public FeatureFilesWriter(string hdf5Path, string csvPath, FeatureFilesHeader header, CancellationToken cancel = default)
    {
        int n = header.IsTrain.Length;
        if (n < 1 || header.GK.Length != n || header.GNa.Length != n)
            throw new ArgumentException($"a feature table needs at least one row and gK, gNa per row; got {n} rows, "
                + $"{header.GK.Length} gK and {header.GNa.Length} gNa.", nameof(header));
        (_header, _cancel) = (header, cancel);
        _columns = header.Columns.Select(_ => new H5Dataset<double[]>(fileDims: [(ulong)n])).ToArray();
        var file = FeatureTableWriter.Hdf5Layout(header, _columns);
        _h5File = AtomicFile.Begin(hdf5Path);
        AtomicFile.PendingFile? csvFile = null;
        Stream? h5Stream = null;
        StreamWriter? csv = null;
        H5NativeWriter? h5 = null;
        try
        {
            csvFile = AtomicFile.Begin(csvPath);
            csvFile.Run(() =>
            {
                // UTF-8 without a byte-order mark, as File.WriteAllText writes.
                csv = new StreamWriter(new FileStream(csvFile.TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None),
                    new UTF8Encoding(false), 1 << 16);
                csv.Write(FeatureTableWriter.CsvHeader(header.Columns));
            });
            _h5File.Run(() =>
            {
                h5Stream = new FileStream(_h5File.TempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                // Compact datasets live in the object header, written before the deferred data arrive.
                h5 = file.BeginWrite(h5Stream, new H5WriteOptions(PreferCompactDatasetLayout: false));
            });
        }
        catch
        {
            csv?.Dispose();
            h5Stream?.Dispose();
            csvFile?.Dispose();
            _h5File.Dispose();
            throw;
        }
        (_csvFile, _csv, _h5Stream, _h5, _csvPath) = (csvFile, csv!, h5Stream!, h5!, Path.GetFullPath(csvPath));
    }

    /// <summary>
    /// Writes the next <paramref name="rows"/> rows, whose features are <paramref name="values"/> (row-major
    /// <paramref name="rows"/> x <see cref="FeatureFilesHeader.Columns"/>.Count).
    /// </summary>
    public void WriteRows(ReadOnlySpan<double> values, int rows)
    {
        ObjectDisposedException.ThrowIf(!_csvOpen || !_h5Open, this);
        int width = _columns.Length;
        if (rows < 0 || RowsWritten + rows > Count || values.Length < (long)rows * width)
            throw new ArgumentOutOfRangeException(nameof(rows), $"rows {RowsWritten} .. {RowsWritten + rows - 1} of {Count}, "
                + $"from {values.Length} values of {width} columns.");
        _cancel.ThrowIfCancellationRequested();
        if (rows == 0)
            return;
        if (_column.Length < rows)
            _column = new double[rows];
        var memory = new HyperslabSelection(start: 0, block: (ulong)rows);
        var place = new HyperslabSelection(start: (ulong)RowsWritten, block: (ulong)rows);
        for (int j = 0; j < width; j++)
        {
            for (int i = 0; i < rows; i++)
                _column[i] = values[i * width + j];
            _h5File.Run(() => _h5.Write(_columns[j], _column, memory, place));
        }
        var text = new StringBuilder();
        for (int i = 0; i < rows; i++)
            FeatureTableWriter.AppendCsvRow(text, RowsWritten + i, _header, values.Slice(i * width, width));
        _csvFile.Run(() => _csv.Write(text));
        RowsWritten += rows;
    }

    /// <summary>
    /// Closes both files once every row is written and moves them into place: the CSV first, the HDF5 file last, both
    /// after the last check of the cancellation, so whoever finds the HDF5 file finds the CSV complete beside it.
    /// </summary>
    public void Complete()
    {
        if (RowsWritten != Count)
            throw new InvalidOperationException($"{RowsWritten} of {Count} rows written; write them all before completing the files.");
        _csvFile.Run(CloseCsv);
        _h5File.Run(CloseHdf5);
        _cancel.ThrowIfCancellationRequested();
        _csvFile.Commit();
        try
        {
            _h5File.Commit();
        }
        catch
        {
            RemoveMovedCsv();
            throw;
        }
    }

    /// <summary>Closes both files; those not moved into place are removed.</summary>
    public void Dispose()
    {
        try
        {
            CloseCsv();
            CloseHdf5();
        }
        catch (Exception)
        {
            // Only an unfinished write gets here (a finished one closed both files); its files are removed below, and the
            // error that stopped it is the one to report.
        }
        finally
        {
            _csvFile.Dispose();
            _h5File.Dispose();
        }
    }

    private void CloseCsv()
    {
        if (_csvOpen)
        {
            _csvOpen = false;
            _csv.Dispose();
        }
    }

    private void CloseHdf5()
    {
        if (_h5Open)
        {
            _h5Open = false;
            // The HDF5 writer leaves the stream open.
            using (_h5Stream)
                _h5.Dispose();
        }
    }

    // The HDF5 file could not be moved into place after the CSV was: the CSV goes too, so neither stands alone.
    private void RemoveMovedCsv()
    {
        try
        {
            File.Delete(_csvPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do; the error that stopped the write is the one to report.
        }
    }
}
