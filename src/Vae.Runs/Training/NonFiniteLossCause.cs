using Vae.Runs.Data;
using static TorchSharp.torch;

namespace Vae.Runs.Training;

/// <summary>
/// Why a training loss became NaN or infinite: data with extreme values is the data's fault (bad input), not the
/// learning rate's; otherwise the optimization diverged and the run failed.
/// </summary>
public static class NonFiniteLossCause
{
    /// <summary>Largest magnitude of training data the models expect: scaled traces and pixels are about 1.</summary>
    public const float LargestUsualValue = 1e4f;

    /// <summary>
    /// The exception to throw for a non-finite <paramref name="loss"/> at the given epoch and step; <paramref name="kept"/>
    /// says what of the run is kept.
    /// </summary>
    public static Exception For(double loss, int epoch, long step, string kept, ModelInputRows train)
    {
        var largest = LargestMagnitude(train);
        if (!float.IsFinite(largest) || largest > LargestUsualValue)
            return new InvalidDataException(
                $"the training loss became {loss} at epoch {epoch + 1}, step {step + 1} because the training data holds values up to {largest:G3} in "
                + "magnitude (usually about 1); check the dataset (simulate it again) and its scaling.");
        return new NonFiniteLossException(
            $"the training loss became {loss} at epoch {epoch + 1}, step {step + 1}; {kept}. The optimization diverged",
            new Remedy.ChangeSetting("learningRate", "a smaller"), new Remedy.ChangeSetting("beta", "a smaller"));
    }

    // A batch at a time, so the whole split is never one tensor; Math.Max keeps a NaN, which is the data's fault too.
    private static float LargestMagnitude(ModelInputRows rows, int batch = 4096)
    {
        var largest = 0f;
        foreach (var rowsBatch in rows.Batches(batch))
            using (rowsBatch)
            using (NewDisposeScope())
                largest = Math.Max(largest, rowsBatch.abs().max().item<float>());
        return largest;
    }
}
