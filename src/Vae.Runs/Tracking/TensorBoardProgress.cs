using Vae.Runs.Models;
using Vae.Runs.Training;
using static TorchSharp.torch;
using Vae.Runs.Metrics;

namespace Vae.Runs.Tracking;

/// <summary>
/// Training progress as TensorBoard event files in a folder (the run folder's <c>tensorboard/</c>), written through
/// TorchSharp's <c>SummaryWriter</c>. The x axis is the optimizer step. Per batch its loss (<c>loss/batch</c>); per
/// epoch its metrics as the scalars of <see cref="Scalars"/> (train and test loss, reconstruction and KL, the
/// learning rate, the test KL of each latent dimension, the epoch's seconds and step-time percentiles) and a
/// histogram of the test set's posterior means per latent dimension (<c>latent_mean/z0</c>, ...) and, when
/// <see cref="Reconstructions"/> draws them, an image of test examples over their reconstructions.
/// </summary>
/// <remarks>
/// The event file is created at the first epoch, once the run folder exists, so a refused run leaves nothing
/// behind. Each training process writes a file of its own into the folder (a resumed run adds one, which
/// TensorBoard reads together with the earlier ones). Scalars are stored as float32, TensorBoard's format. The sink
/// only reads what it is given: the run's metrics do not depend on it.
/// </remarks>
public sealed class TensorBoardProgress(string folder) : IProgressSink
{
    private TorchSharp.Modules.SummaryWriter? _writer;
    private long _stepsBefore;
    private long _step;

    /// <summary>The folder of the event files.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>
    /// A PNG of the model's reconstructions of the test set's first examples (the application does not draw: a
    /// renderer such as Vae.Reports' <c>EpochReconstructions.Png</c> does), or null for no image.
    /// </summary>
    public Func<ITrainedModel, Tensor, byte[]>? Reconstructions { get; init; }

    /// <summary>The tag of the reconstruction image.</summary>
    public const string ReconstructionsTag = "reconstructions";

    /// <summary>
    /// The scalars of an epoch, tag and value: the epoch number, learning rate and seconds, train and test loss,
    /// reconstruction and KL, the test KL of each latent dimension and, when timed, the step-time percentiles.
    /// </summary>
    public static IEnumerable<(string Tag, double Value)> Scalars(EpochMetrics m) =>
    [
        ("epoch", m.Epoch), ("learning_rate", m.LearningRate), ("time/epoch_seconds", m.Seconds),
        ("loss/train", m.Train.Loss), ("reconstruction/train", m.Train.Recon), ("kl/train", m.Train.Kl),
        ("loss/test", m.Test.Loss), ("reconstruction/test", m.Test.Recon), ("kl/test", m.Test.Kl),
        ("loss/test_elbo_beta1", m.Test.ElboBeta1), ("reconstruction/test_per_feature", m.Test.ReconPerFeature),
        .. m.Test.KlPerDimension.Select((kl, j) => (KlDimensionTag(j), kl)),
        .. m.StepTimes is { } t
            ? [("time/step_ms_p10", t.P10Ms), ("time/step_ms_p50", t.P50Ms), ("time/step_ms_p90", t.P90Ms), ("time/step_ms_max", t.MaxMs)]
            : Array.Empty<(string, double)>(),
    ];

    /// <summary>The tag of the test KL of latent dimension <paramref name="j"/>.</summary>
    public static string KlDimensionTag(int j) => $"kl_per_dimension/z{j}";

    /// <summary>The tag of the histogram of the test set's posterior means in latent dimension <paramref name="j"/>.</summary>
    public static string LatentMeanTag(int j) => $"latent_mean/z{j}";

    /// <summary>The tag of each batch's training loss.</summary>
    public const string BatchLossTag = "loss/batch";

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int batches)
    {
        _writer ??= TorchSharp.torch.utils.tensorboard.SummaryWriter(Folder);
        _stepsBefore = (long)(epoch - 1) * batches;
    }

    /// <inheritdoc/>
    public void BatchDone(int batch, double loss) => Scalar(BatchLossTag, loss, _stepsBefore + batch);

    /// <inheritdoc/>
    public void EpochDone(int epoch, int epochs, EpochMetrics metrics)
    {
        _step = metrics.Step;
        foreach (var (tag, value) in Scalars(metrics))
            Scalar(tag, value, _step);
    }

    /// <inheritdoc/>
    public void EpochModel(int epoch, ITrainedModel model, Tensor test)
    {
        if (_writer is null)
            return;
        using var scope = NewDisposeScope();
        var (mu, _) = model.Encode(test);
        for (var j = 0; j < model.LatentDim; j++)
            _writer.add_histogram(LatentMeanTag(j), mu.select(1, j).to(ScalarType.Float64).contiguous(), checked((int)_step), walltime: Now());
        if (Reconstructions is not null)
            Image(ReconstructionsTag, Reconstructions(model, test));
    }

    // SummaryWriter takes an image as an encoded file: a hidden one in the event folder, removed at once.
    private void Image(string tag, byte[] png)
    {
        var file = Path.Combine(Folder, $".{tag}-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllBytes(file, png);
            _writer!.add_img(tag, file, checked((int)_step), walltime: Now());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private void Scalar(string tag, double value, long step) =>
        _writer?.add_scalar(tag, (float)value, checked((int)step), walltime: Now());

    // Seconds since the Unix epoch, the wall time TensorBoard expects.
    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
