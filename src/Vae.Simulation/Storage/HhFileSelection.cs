namespace Vae.Simulation.Storage;

/// <summary>
/// Some rows of another dataset file, in the order given, as a dataset file of their own: the per-trace arrays of
/// those rows are copied (a few numbers each), the traces are read from <see cref="Source"/> when asked for, so a
/// sample of a large file costs no copy of its traces. The source stays open while the selection is used and is not
/// closed by it.
/// </summary>
public sealed record HhFileSelection : HhDatasetFile
{
    private readonly int[] _rows;
    private string? _contentHash;

    /// <summary>Rows <paramref name="rows"/> of <paramref name="source"/>.</summary>
    public HhFileSelection(HhDatasetFile source, int[] rows)
        : base(source.Path, rows.Length, source.Length, Pick(source.RawMin, rows), Pick(source.RawMax, rows),
            rows.SelectMany(i => new[] { source.Parameters[2 * i], source.Parameters[2 * i + 1] }).ToArray(), source.Time,
            Pick(source.Split, rows), source.Protocol, source.Seed)
    {
        if (rows.Any(i => i < 0 || i >= source.Count))
            throw new ArgumentOutOfRangeException(nameof(rows), $"a selection of rows of a file of {source.Count} traces names a row outside it.");
        (Source, _rows) = (source, rows);
        Noise = source.Noise;
    }

    /// <summary>The file the rows are read from.</summary>
    public HhDatasetFile Source { get; }

    /// <summary>Which rows of <see cref="Source"/>, in order.</summary>
    public IReadOnlyList<int> SourceRows => _rows;

    /// <summary>The content hash of the selected rows as a file of their own, computed when first asked for (one read of them).</summary>
    public override string ContentHash => _contentHash ??= HhContentHash.Of(Count, Length, Blocks(), RawMin, RawMax, Parameters, Split, Noise);

    /// <inheritdoc/>
    public override void ReadRows(int first, int count, Span<float> into)
    {
        if (first < 0 || count < 0 || first + count > Count)
            throw new ArgumentOutOfRangeException(nameof(first), $"rows {first} .. {first + count - 1} are outside 0 .. {Count - 1}");
        Source.ReadRows(_rows, first, count, into);
    }

    private IEnumerable<ReadOnlyMemory<float>> Blocks()
    {
        const int blockRows = 256;
        var block = new float[blockRows * Length];
        for (var first = 0; first < Count; first += blockRows)
        {
            var rows = Math.Min(blockRows, Count - first);
            ReadRows(first, rows, block.AsSpan(0, rows * Length));
            yield return block.AsMemory(0, rows * Length);
        }
    }

    private static T[] Pick<T>(T[] values, int[] rows) => rows.Select(i => values[i]).ToArray();
}
