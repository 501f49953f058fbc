using Vae.Simulation.Storage;
using static TorchSharp.torch;
using Vae.Runs.Settings;

namespace Vae.Runs.Data;

/// <summary>
/// An HH dataset file as a run's model input: the one place traces are scaled for a model, as the run's
/// <c>--scaling</c> says (per trace: as the file stores them; dataset: through the run's one affine map). Its rows are
/// every trace of the file in file order, read from memory or from the file (<see cref="HhDatasetFile"/>);
/// <see cref="HhTraces"/> serves them as a run's splits.
/// </summary>
public sealed class HhModelInput : ModelInputRows
{
    private HhModelInput(HhDatasetFile file, TraceScaling? map) => (File, Map) = (file, map);

    /// <summary>The dataset file.</summary>
    public HhDatasetFile File { get; }
    /// <summary>The dataset-wide map of a run with <c>--scaling dataset</c>, else null.</summary>
    public TraceScaling? Map { get; }

    /// <summary>
    /// <paramref name="file"/> as the input of a run with <paramref name="cfg"/>: its content checked against
    /// <paramref name="recorded"/>, scaled by the recorded map, or (nothing recorded: the run's own data) by the
    /// map fitted on the file's training split as training fitted it.
    /// </summary>
    public static HhModelInput For(TrainConfig cfg, HhDatasetFile file, RecordedData recorded)
    {
        recorded.Check(file.Path, file.ContentHash);
        var map = cfg.Scaling == ScalingMode.Dataset ? recorded.Scaling ?? TraceScaling.Fit(file, file.TrainIndices) : null;
        return new HhModelInput(file, map);
    }

    /// <summary>Traces in the file.</summary>
    public override int Count => File.Count;
    /// <summary>Samples per trace: the model's features.</summary>
    public override int Features => File.Length;
    private int Length => File.Length;

    /// <summary>
    /// mV per model unit of trace <paramref name="i"/>: the dataset-wide map's scale, or under per-trace scaling the trace's
    /// own stored range (raw max - min; 0 for a flat trace, whose map sends every voltage to 0).
    /// </summary>
    public double MillivoltsPerUnit(int i) => Map is { } map ? map.Scale : File.RawMax[i] - File.RawMin[i];

    /// <summary>Writes trace <paramref name="i"/> as model input into <paramref name="into"/>.</summary>
    public void Row(int i, Span<float> into)
    {
        File.ReadRows(i, 1, into);
        Map?.ApplyInPlace(File, i, into);
    }

    /// <inheritdoc/>
    public override Tensor Rows(IReadOnlyList<int> rows) => Fill(rows);

    /// <inheritdoc/>
    public override Tensor Rows(int first, int count) => Fill(Enumerable.Range(first, count).ToArray());

    /// <summary>Rows copied into a tensor at a time: 5 MB of 5,000-sample traces.</summary>
    private const int BlockRows = 256;

    // The rows as one float32 tensor, filled a block at a time: memory holds the tensor and one block, never a second
    // copy of a whole split. Each block is read as stored, then mapped row by row: the same values as row by row.
    private Tensor Fill(IReadOnlyList<int> rows)
    {
        var result = empty([rows.Count, Length], ScalarType.Float32);
        var block = new float[(long)Math.Min(rows.Count, BlockRows) * Length];
        using var values = result.data<float>();
        for (var start = 0; start < rows.Count; start += BlockRows)
        {
            var n = Math.Min(BlockRows, rows.Count - start);
            File.ReadRows(rows, start, n, block);
            if (Map is { } map)
                for (var k = 0; k < n; k++)
                    map.ApplyInPlace(File, rows[start + k], block.AsSpan(k * Length, Length));
            values.CopyFrom(block.AsSpan(0, n * Length), 0, (long)start * Length);
        }
        return result;
    }

    /// <summary>Closes the file when its traces are read on demand.</summary>
    public override void Dispose()
    {
        (File as IDisposable)?.Dispose();
        base.Dispose();
    }
}
