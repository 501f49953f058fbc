using System.Text;
using PureHDF;
using PureHDF.Selections;

namespace Vae.Simulation.Storage;

/// <summary>
/// Writes an HH dataset file (layout in <see cref="Hdf5DatasetWriter"/>) a block of rows at a time, in memory that
/// does not grow with the number of traces: the traces go to disk as they come, in file order, and are hashed on
/// the way; the per-trace arrays (a few numbers per trace) are written at the end by <see cref="Complete"/>. The file
/// is made under a temporary name and moved into place only when complete (<see cref="AtomicFile.Begin"/>): a
/// failure, a full disk or a cancellation leaves nothing behind.
/// </summary>
/// <remarks>
/// /traces stays contiguous (row-major float32), which serves row reads directly. Chunked layouts were measured with
/// PureHDF 2.2.0 on 10,000 traces (AMD EPYC, docs/scale.md): a chunk of one row costs 28 ms per randomly read row
/// against 0.05 ms contiguous, as every read walks the chunk index; deflate halves the file but writes at 30-47 MB/s
/// against 380 MB/s. The content hash is a root attribute, which PureHDF encodes before any data: it is written as a
/// random placeholder of the same length and replaced in place once the traces are known (see <see cref="HashSlot"/>).
/// </remarks>
public sealed class HhFileWriter : IDisposable
{
    private readonly AtomicFile.PendingFile _file;
    private readonly H5NativeWriter _writer;
    private readonly Stream _stream;
    private readonly H5Dataset<float[]> _traces;
    private readonly H5Dataset<double[]> _rawMin, _rawMax, _parameters;
    private readonly H5Dataset<byte[]> _split;
    private readonly H5Dataset<int[]> _spikeCounts;
    private readonly H5Dataset<uint[]> _checksumColumn;
    private readonly uint[] _checksums;
    private readonly HhContentHash.Builder _hash;
    private readonly Noise.HhNoise _noise;
    private readonly HashSlot _slot = HashSlot.New();
    private readonly CancellationToken _cancel;
    private bool _closed;

    /// <summary>The size of a file of <paramref name="count"/> traces of <paramref name="samples"/> samples, with room to spare.</summary>
    public static long FileBytes(int count, int samples) =>
        (long)count * (samples * sizeof(float) + 4 * sizeof(double) + sizeof(byte) + sizeof(int)) + samples * sizeof(double) + 64 * 1024;

    /// <summary>Rows written so far.</summary>
    public int RowsWritten { get; private set; }

    /// <summary>Number of traces of the file.</summary>
    public int Count { get; }

    /// <summary>Samples per trace.</summary>
    public int Length { get; }

    /// <summary>
    /// Starts <paramref name="path"/> for <paramref name="count"/> traces of <paramref name="time"/>.Length samples with
    /// the given root attributes (the content hash is added); an existing file is replaced only if <paramref name="replace"/>.
    /// </summary>
    public HhFileWriter(string path, int count, double[] time, IEnumerable<(string Name, object Value)> attributes, bool replace = true,
        CancellationToken cancel = default)
    {
        if (count < 1 || time.Length < 1)
            throw new ArgumentOutOfRangeException(nameof(count),
                $"a dataset file needs at least one trace and one sample, got {count} x {time.Length}.");
        (Count, Length, _cancel) = (count, time.Length, cancel);
        ulong n = (ulong)count, t = (ulong)time.Length;
        _traces = new H5Dataset<float[]>(fileDims: [n, t]);
        _rawMin = new H5Dataset<double[]>(fileDims: [n]);
        _rawMax = new H5Dataset<double[]>(fileDims: [n]);
        _parameters = new H5Dataset<double[]>(fileDims: [n, 2]);
        _split = new H5Dataset<byte[]>(fileDims: [n]);
        _spikeCounts = new H5Dataset<int[]>(fileDims: [n]);
        _checksumColumn = new H5Dataset<uint[]>(fileDims: [n]);
        _checksums = new uint[count];
        var file = new H5File
        {
            [HhFileLayout.Traces] = _traces,
            [HhFileLayout.RawMin] = _rawMin,
            [HhFileLayout.RawMax] = _rawMax,
            [HhFileLayout.Parameters] = _parameters,
            [HhFileLayout.Time] = time,
            [HhFileLayout.Split] = _split,
            [HhFileLayout.SpikeCount] = _spikeCounts,
            [HhFileLayout.TraceChecksums] = _checksumColumn,
        };
        var attributeList = attributes.ToList();
        foreach (var (name, value) in attributeList)
            file.Attributes[name] = value;
        // The noise is part of the content hash; a merge passes the shards' attributes, so it hashes the same noise.
        _noise = HhNoiseAttributes.Read(attributeList);
        file.Attributes[HhFileLayout.ContentHashAttribute] = _slot.Placeholder;
        _hash = new HhContentHash.Builder(count, time.Length);
        _file = AtomicFile.Begin(path, replace);
        Stream? stream = null;
        H5NativeWriter? writer = null;
        try
        {
            _file.Run(() =>
            {
                var fileStream = new FileStream(_file.TempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                stream = new InterruptibleWriteStream(fileStream, cancel);
                // Compact datasets live in the object header, written before the deferred data arrive.
                writer = file.BeginWrite(stream, new H5WriteOptions(PreferCompactDatasetLayout: false));
            });
            (_stream, _writer) = (stream!, writer!);
        }
        catch
        {
            stream?.Dispose();
            _hash.Dispose();
            _file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="rows"/> rows of <paramref name="source"/>, starting at its row <paramref name="sourceRow"/>,
    /// as the file's next rows.
    /// </summary>
    public void WriteRows(float[] source, long sourceRow, int rows)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (rows < 0 || RowsWritten + rows > Count || (sourceRow + rows) * Length > source.LongLength)
            throw new ArgumentOutOfRangeException(nameof(rows), $"rows {RowsWritten} .. {RowsWritten + rows - 1} do not fit a file of {Count} "
                + $"traces from a source of {source.LongLength / Length} rows.");
        if (rows == 0)
            return;
        _cancel.ThrowIfCancellationRequested();
        var values = source.AsSpan(checked((int)(sourceRow * Length)), rows * Length);
        _hash.AppendTraces(values);
        for (var k = 0; k < rows; k++)
            _checksums[RowsWritten + k] = TraceChecksums.Of(values.Slice(k * Length, Length));
        var memory = new HyperslabSelection(start: (ulong)(sourceRow * Length), block: (ulong)values.Length);
        var file = new HyperslabSelection(2, [(ulong)RowsWritten, 0], [(ulong)rows, (ulong)Length]);
        _file.Run(() => _writer.Write(_traces, source, memory, file));
        RowsWritten += rows;
    }

    /// <summary>
    /// Writes the per-trace arrays once every row is written, closes the file, puts its content hash in place and
    /// moves it to its path. Returns the content hash.
    /// </summary>
    public string Complete(double[] rawMin, double[] rawMax, double[] parameters, byte[] split, int[] spikeCounts)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (RowsWritten != Count)
            throw new InvalidOperationException($"{RowsWritten} of {Count} rows written; write them all before completing the file.");
        if (rawMin.Length != Count || rawMax.Length != Count || parameters.Length != 2 * Count || split.Length != Count
            || spikeCounts.Length != Count)
            throw new ArgumentException($"the per-trace arrays must have one entry per trace ({Count}; parameters two).");
        var hash = _hash.Finish(rawMin, rawMax, parameters, split, _noise);
        _file.Run(() =>
        {
            _writer.Write(_rawMin, rawMin);
            _writer.Write(_rawMax, rawMax);
            _writer.Write(_parameters, parameters);
            _writer.Write(_split, split);
            _writer.Write(_spikeCounts, spikeCounts);
            _writer.Write(_checksumColumn, _checksums);
            Close();
            _slot.Fill(_file.TempPath, hash);
        });
        _file.Commit(_cancel);
        _file.Dispose();
        return hash;
    }

    /// <summary>Closes the file; one that was not completed is removed.</summary>
    public void Dispose()
    {
        try
        {
            Close();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // The file is incomplete and removed below; the error that stopped the write is the one to report.
        }
        finally
        {
            _file.Dispose();
        }
    }

    private void Close()
    {
        if (_closed)
            return;
        _closed = true;
        _hash.Dispose();
        // The writer leaves the stream open.
        using (_stream)
            _writer.Dispose();
    }

    /// <summary>
    /// The content hash attribute's place in the file. PureHDF writes a string attribute's bytes into a global heap
    /// collection (no checksum) near the metadata at the file's start or end; the placeholder is random, so it occurs
    /// there exactly once, and is overwritten by the hash of the same length.
    /// </summary>
    private sealed record HashSlot(string Placeholder)
    {
        private const int SearchBytes = 1 << 20;

        public static HashSlot New() => new("sha256:" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));

        public void Fill(string path, string hash)
        {
            byte[] from = Encoding.ASCII.GetBytes(Placeholder), to = Encoding.ASCII.GetBytes(hash);
            if (from.Length != to.Length)
                throw new InvalidOperationException($"a content hash has {to.Length} characters, the placeholder {from.Length}.");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            var found = new SortedSet<long>();
            long[] windows = stream.Length <= 2 * SearchBytes ? [0] : [0, stream.Length - SearchBytes];
            foreach (long start in windows)
            {
                var bytes = new byte[Math.Min(stream.Length, windows.Length == 1 ? stream.Length : SearchBytes)];
                stream.Position = start;
                stream.ReadExactly(bytes);
                for (int at = 0, i; (i = bytes.AsSpan(at).IndexOf(from)) >= 0; at += i + 1)
                    found.Add(start + at + i);
            }
            if (found.Count != 1)
                throw new InvalidOperationException($"the content hash placeholder occurs {found.Count} times in the written file, not once; "
                    + "the HDF5 writer's layout has changed.");
            stream.Position = found.Min;
            stream.Write(to);
        }
    }
}
