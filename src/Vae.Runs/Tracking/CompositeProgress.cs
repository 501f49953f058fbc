using Vae.Runs.Models;
using Vae.Runs.Training;
using static TorchSharp.torch;
using Vae.Runs.Metrics;

namespace Vae.Runs.Tracking;

/// <summary>Several progress sinks as one, e.g. a console display and TensorBoard event files; each hears every call, in order.</summary>
public sealed class CompositeProgress(params IProgressSink[] sinks) : IProgressSink
{
    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int batches)
    {
        foreach (var s in sinks)
            s.EpochStarted(epoch, epochs, batches);
    }

    /// <inheritdoc/>
    public void BatchDone(int batch, double loss)
    {
        foreach (var s in sinks)
            s.BatchDone(batch, loss);
    }

    /// <inheritdoc/>
    public void EpochDone(int epoch, int epochs, EpochMetrics metrics)
    {
        foreach (var s in sinks)
            s.EpochDone(epoch, epochs, metrics);
    }

    /// <inheritdoc/>
    public void EpochModel(int epoch, ITrainedModel model, Tensor test)
    {
        foreach (var s in sinks)
            s.EpochModel(epoch, model, test);
    }
}
