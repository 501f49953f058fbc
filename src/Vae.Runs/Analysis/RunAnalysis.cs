using System.Diagnostics;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Model.Analysis;
using static TorchSharp.torch;
using Vae.Runs.Settings;

namespace Vae.Runs.Analysis;

/// <summary>
/// What the latent space of a trained run learned: factor recovery against PCA (and hand-crafted features)
/// for HH, digit probes for MNIST, information per latent dimension, the MNIST likelihood bound and
/// traversals. Everything is computed before anything is written, from seeds derived from the run's seed.
/// </summary>
public static class RunAnalysis
{
    /// <summary>Histogram bins of the mutual information, as disentanglement_lib.</summary>
    public const int Bins = 20;
    /// <summary>Cross-validation folds of every regressor and classifier.</summary>
    public const int Folds = 5;
    /// <summary>
    /// The cross-validation folds for <paramref name="examples"/> training examples: <see cref="Folds"/>, or one
    /// example per fold when there are fewer; below 2 nothing can be cross-validated.
    /// </summary>
    public static int FoldsFor(int examples) => Math.Min(Folds, examples);
    /// <summary>Latent dimensions drawn in the traversal figure at most (those with the most KL).</summary>
    public const int MaxTraversedDims = 10;
    /// <summary>PCA components of the fixed-size baseline.</summary>
    public const int PcaComponents = 10;

    /// <summary>
    /// Analyzes <paramref name="model"/> on <paramref name="data"/> (its training and test splits; of a large HH dataset, the
    /// seeded sample of <see cref="AnalysisSample"/>).
    /// </summary>
    public static AnalysisOutput Of(
        TrainConfig cfg, TrainingData data, ITrainedModel model, MetricsTable metrics, AnalysisOptions options, Action<string> log)
    {
        using var sample = data is HhTraces all && !AnalysisSample.Whole(all) ? AnalysisSample.Of(cfg.Seed, all) : null;
        var note = sample is null ? null : AnalysisSample.Note((HhTraces)data, sample);
        if (note is not null)
            log($"  {note}");
        data = sample ?? data;
        // The analysis allocates large temporaries a few times, not every step: give them back when freed.
        Vae.Model.NativeSetup.releaseLargeAllocations();
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var muTrain = Means(model, data.Train);
        var muTest = Means(model, data.Test);
        log($"  encoded {data.Train.Count + data.Test.Count} examples in {clock.Elapsed.TotalSeconds:F1} s");
        var kl = LastKl(metrics, model.LatentDim);
        var dims = kl.Select((k, j) => (k, j)).OrderByDescending(t => t.k).ThenBy(t => t.j).Take(MaxTraversedDims).Select(t => t.j).ToArray();
        var output = data switch
        {
            HhTraces traces => HhAnalysis.Of(cfg, traces, model, muTrain, muTest, kl, options, log),
            MnistImages images => MnistAnalysis.Of(cfg, images, model, muTrain, muTest, kl, options, log),
            _ => throw new ArgumentException($"no analysis of {data.GetType().Name}", nameof(data)),
        };
        var quantiles = Vae.Model.Analysis.Traversal.studyQuantiles;
        using var decoded = model.Traverse(Vae.Model.Analysis.Traversal.meanCode(muTest), dims, quantiles);
        var traversal = new DecodedTraversal(decoded.to(ScalarType.Float32).contiguous().data<float>().ToArray(), dims, quantiles);
        log($"  analysis done in {clock.Elapsed.TotalSeconds:F1} s");
        var notes = note is null ? output.Result.Notes : [.. output.Result.Notes, note];
        return output with { Result = output.Result with { TraversedDims = dims, Notes = notes }, Traversal = traversal };
    }

    // The posterior means [n, latent] of a split, encoded a batch at a time (float32, as the models compute).
    private static Tensor Means(ITrainedModel model, ModelInputRows rows)
    {
        var (mu, _) = BatchedInference.Encode(model, rows.Count, rows.Rows);
        return tensor(mu, [rows.Count, model.LatentDim], ScalarType.Float32);
    }

    /// <summary>A seed of the analysis of a run with master seed <paramref name="seed"/>, for purpose <paramref name="counter"/>.</summary>
    public static ulong SeedFor(long seed, long counter) => (ulong)Seeds.Derive(seed, Seeds.Purpose.Analysis, counter);

    /// <summary>The columns of <paramref name="t"/> [n; k] as arrays (dimension-major, as the information measures take them).</summary>
    public static double[][] Columns(Tensor t)
    {
        var n = (int)t.shape[0];
        var k = (int)t.shape[1];
        var flat = t.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        return Enumerable.Range(0, k).Select(j => Enumerable.Range(0, n).Select(i => flat[i * k + j]).ToArray()).ToArray();
    }

    /// <summary>Per-dimension information shared by both datasets: activity, KL and MI with each discretized factor.</summary>
    public static (LatentDimension[] Dims, double[,] Mi, double[] Entropy) Information(double[][] codes, int[][] factors, double[] kl)
    {
        var mi = Vae.Model.Analysis.Information.mutualInformationMatrix(Bins, codes, factors);
        var activity = Vae.Model.Analysis.Information.activity(codes);
        var entropy = factors.Select(Vae.Model.Analysis.Information.entropy).ToArray();
        var result = codes.Select((_, i) => new LatentDimension(i, kl[i], activity[i], activity[i] > Vae.Model.Analysis.Information.activeThreshold,
            Enumerable.Range(0, factors.Length).Select(j => mi[i, j]).ToArray())).ToArray();
        return (result, mi, entropy);
    }

    // The last epoch's test KL per dimension (none yet: zeros); metrics of another latent size belong to another model.
    private static double[] LastKl(MetricsTable metrics, int latent)
    {
        if (metrics.LatentDim != latent)
            throw new InvalidDataException(
                $"the metrics have {metrics.LatentDim} latent dimensions but the model has {latent}; the run folder is inconsistent.");
        return metrics.Epochs.Count == 0 ? new double[latent] : [.. metrics.Epochs[^1].Test.KlPerDimension];
    }
}
