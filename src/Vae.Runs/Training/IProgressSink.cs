using Vae.Runs.Models;
using static TorchSharp.torch;
using Vae.Runs.Metrics;

namespace Vae.Runs.Training;

/// <summary>Receives training progress: a terminal progress bar, plain log lines, event files, or nothing.</summary>
public interface IProgressSink
{
    /// <summary>An epoch (1-based) of <paramref name="epochs"/> starts with <paramref name="batches"/> batches.</summary>
    void EpochStarted(int epoch, int epochs, int batches);
    /// <summary>Batch <paramref name="batch"/> (1-based) of the epoch is done with this loss.</summary>
    void BatchDone(int batch, double loss);
    /// <summary>An epoch ended with these metrics (its metrics.csv row, with the step times that the file leaves out).</summary>
    void EpochDone(int epoch, int epochs, EpochMetrics metrics);

    /// <summary>
    /// The model as of the end of epoch <paramref name="epoch"/> and the test set, right after
    /// <see cref="EpochDone"/>, for a sink that looks inside the model (e.g. the test set's latent means). The sink
    /// only reads: it must not keep the model or draw from any generator. Nothing by default.
    /// </summary>
    void EpochModel(int epoch, ITrainedModel model, Tensor test) { }
}
