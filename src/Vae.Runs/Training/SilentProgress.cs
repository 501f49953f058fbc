using Vae.Runs.Metrics;

namespace Vae.Runs.Training;

/// <summary>No progress output (--quiet).</summary>
public sealed class SilentProgress : IProgressSink
{
    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int batches) { }
    /// <inheritdoc/>
    public void BatchDone(int batch, double loss) { }
    /// <inheritdoc/>
    public void EpochDone(int epoch, int epochs, EpochMetrics metrics) { }
}
