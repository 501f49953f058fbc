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

    /// <summary>Writes trace <paramref name="i"/> as model input into <paramref name="into"/>.</summary>
    public void Row(int i, Span<float> into)
    {
        File.ReadRows(i, 1, into);
        Map?.ApplyInPlace(File, i, into);
    }

    /// <inheritdoc/>
    public override Tensor Rows(IReadOnlyList<int> rows) => Fill(rows.Count, k => rows[k]);

    /// <inheritdoc/>
    public override Tensor Rows(int first, int count) => Fill(count, k => first + k);

    /// <summary>Rows copied into a tensor at a time: 5 MB of 5,000-sample traces.</summary>
    private const int BlockRows = 256;

    // The rows row(0) .. row(count - 1) as one float32 tensor, filled a block at a time: memory holds the tensor and
    // one block, never a second copy of a whole split. Runs of consecutive rows are read at once, then mapped row by
    // row: the same values as row by row.
    private Tensor Fill(int count, Func<int, int> row)
    {
        var result = empty([count, Length], ScalarType.Float32);
        var block = new float[(long)Math.Min(count, BlockRows) * Length];
        using var values = result.data<float>();
        for (var start = 0; start < count; start += BlockRows)
        {
            var n = Math.Min(BlockRows, count - start);
            for (int k = 0, run; k < n; k += run)
            {
                var first = row(start + k);
                for (run = 1; k + run < n && row(start + k + run) == first + run; run++) { }
                File.ReadRows(first, run, block.AsSpan(k * Length, run * Length));
                if (Map is { } map)
                    for (var j = 0; j < run; j++)
                        map.ApplyInPlace(File, first + j, block.AsSpan((k + j) * Length, Length));
            }
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
