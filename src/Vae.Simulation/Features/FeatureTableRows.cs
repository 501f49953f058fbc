namespace Vae.Simulation.Features;

/// <summary>
/// The feature columns of a <see cref="FeatureTable"/> (every set and units of <see cref="FeatureTable.Blocks"/>) for
/// a range of rows at a time, in one pass over the traces: each trace is read once and every block computed from it.
/// Memory is the range's values and one block of rows per thread, whatever the number of traces.
/// </summary>
public sealed class FeatureTableRows
{
    private readonly FeatureTraces _traces;
    private readonly (FeatureSet Set, TraceUnits Units, FeatureThresholds Thresholds, int Offset, int Width)[] _blocks;
    private readonly TraceRowBlocks _rows;

    /// <summary>Validates <paramref name="traces"/> and fixes the thresholds of each block (the scaled map comes from the training rows).</summary>
    public FeatureTableRows(FeatureTraces traces, int? threads = null)
    {
        traces.Validate();
        _traces = traces;
        ScaledMap = traces.TrainingRange;
        var thresholds = new Dictionary<TraceUnits, FeatureThresholds>
        {
            [TraceUnits.Millivolts] = TraceFeatures.Thresholds(traces, TraceUnits.Millivolts),
            [TraceUnits.Scaled] = TraceFeatures.Thresholds(traces, TraceUnits.Scaled),
        };
        var blocks = new List<(FeatureSet, TraceUnits, FeatureThresholds, int, int)>();
        var columns = new List<string>();
        foreach (var (set, units) in FeatureTable.Blocks)
        {
            var names = TraceFeatures.Columns(set);
            blocks.Add((set, units, thresholds[units], columns.Count, names.Count));
            columns.AddRange(names.Select(name => FeatureTable.ColumnName(set, units, name)));
        }
        (_blocks, Columns) = (blocks.ToArray(), columns);
        _rows = new TraceRowBlocks(traces, threads);
    }

    /// <summary>The table's feature columns, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The dataset-wide map (mV) that moved the thresholds into scaled units.</summary>
    public (double Low, double High) ScaledMap { get; }

    /// <summary>
    /// Features of rows <paramref name="first"/> .. + <paramref name="count"/> - 1 into the start of
    /// <paramref name="values"/>, row-major <paramref name="count"/> x <see cref="Columns"/>.Count.
    /// </summary>
    public void Compute(int first, int count, double[] values)
    {
        int width = Columns.Count;
        if (first < 0 || count < 0 || first + count > _traces.Count || values.LongLength < (long)count * width)
            throw new ArgumentOutOfRangeException(nameof(count),
                $"rows {first} .. {first + count - 1} of {_traces.Count}, into {values.LongLength} values of {width} columns.");
        _rows.ForEach(first, count, (i, stored, scratch) =>
        {
            var row = values.AsSpan((i - first) * width, width);
            var loaded = (TraceUnits)(-1);
            ReadOnlySpan<double> v = default;
            foreach (var (set, units, thresholds, offset, columns) in _blocks)
            {
                // Each units' version of the trace is made once; the feature functions only read it.
                if (units != loaded)
                {
                    v = TraceFeatures.Load(_traces, i, stored, units, scratch);
                    loaded = units;
                }
                TraceFeatures.ComputeRow(_traces, v, set, thresholds, row.Slice(offset, columns), scratch);
            }
        });
    }
}
