using System.Collections.Concurrent;

namespace Vae.Simulation.Features;

/// <summary>Work on one trace: its row, its stored (scaled) samples and the thread's working memory.</summary>
internal delegate void TraceRowAction(int row, ReadOnlySpan<float> stored, FeatureScratch scratch);

/// <summary>
/// Runs work on every trace of a range of rows, in parallel over blocks of <see cref="TaskRows"/> rows; each task reads
/// its block from the traces' row source in one call. The working memory is kept from one range to the next.
/// </summary>
internal sealed class TraceRowBlocks(FeatureTraces traces, int? threads)
{
    /// <summary>
    /// Rows per task: scheduling costs little against ~0.1 ms of work per trace, and a file's reader (one caller
    /// at a time, ~10-30 us per row) is asked for a block of rows rather than for each one.
    /// </summary>
    internal const int TaskRows = 64;

    private readonly ConcurrentBag<FeatureScratch> _scratch = new();
    private readonly ParallelOptions _options = new() { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount };

    /// <summary>Calls <paramref name="action"/> once for each row <paramref name="first"/> .. + <paramref name="count"/> - 1.</summary>
    internal void ForEach(int first, int count, TraceRowAction action)
    {
        int length = traces.Length;
        Parallel.For(0, (count + TaskRows - 1) / TaskRows, _options, () => _scratch.TryTake(out var s) ? s : new FeatureScratch(), (b, _, scratch) =>
        {
            int start = first + b * TaskRows, rows = Math.Min(TaskRows, first + count - start);
            var stored = scratch.RowsBuffer(rows * length);
            traces.ReadRows(start, rows, stored);
            for (int k = 0; k < rows; k++)
                action(start + k, stored.Slice(k * length, length), scratch);
            return scratch;
        }, _scratch.Add);
    }
}
