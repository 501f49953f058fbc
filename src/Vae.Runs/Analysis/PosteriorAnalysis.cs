using Vae.Model.Density;
using Vae.Runs.Data;
using Vae.Runs.Inference;
using Vae.Runs.Settings;
using Vae.Simulation.Features;
using Vae.Simulation.Protocols;
using static TorchSharp.torch;

namespace Vae.Runs.Analysis;

/// <summary>
/// The information table of an HH analysis: for every representation of the recovery table, the posterior of (gK, gNa)
/// estimated on the training traces and checked on the test traces (<see cref="PosteriorEstimation"/>).
/// </summary>
public static class PosteriorAnalysis
{
    /// <summary>
    /// The analysis's estimator and checks: a mixture density network (sbi's <c>mdn</c>: it fits a conditional Gaussian
    /// within 0.05 nats in the model layer's tests), 1,000 posterior samples for each of up to 2,000 test traces.
    /// </summary>
    public static PosteriorSettings Settings { get; } = new(Estimator.Kind.Mdn, Seed: 0);

    /// <summary>The information table's name of its upper reference, the embedding network trained with a spline flow.</summary>
    public const string EmbeddingName = "embedding network (sbi's CNN, trained with a flow)";

    /// <summary>Training pairs below which no posterior is estimated (a tenth of them validate the fit).</summary>
    public const int MinTrainPairs = 20;

    /// <summary>The prior of the conductances of a dataset file's protocol: the box its gK and gNa are drawn from.</summary>
    public static (double Low, double High)[] Prior(string protocol)
    {
        var p = HhProtocol.FromName(protocol);
        return [(p.GkRange.Min, p.GkRange.Max), (p.GnaRange.Min, p.GnaRange.Max)];
    }

    /// <summary>
    /// The posterior of every representation in <paramref name="reps"/>, seeded from the run's seed, or none when
    /// <paramref name="options"/> asks for none or the data are too few (said in <paramref name="skipped"/>).
    /// </summary>
    public static IReadOnlyList<EstimatedPosterior> Of(TrainConfig cfg, HhTraces data, IReadOnlyList<HhAnalysis.Representation> reps,
        Tensor yTrain, Tensor yTest, AnalysisOptions options, List<string> skipped, Action<string> log)
    {
        if (options.Posterior is not { } settings)
            return [];
        var prior = Prior(data.File.Protocol);
        if (prior.Any(p => !(p.High > p.Low)))
        {
            skipped.Add($"information in nats skipped: protocol {data.File.Protocol} fixes a conductance, so there is no prior box to learn from.");
            return [];
        }
        if (yTrain.shape[0] < MinTrainPairs || yTest.shape[0] < 2)
        {
            skipped.Add($"information in nats skipped: a posterior needs at least {MinTrainPairs} training and 2 test traces, "
                + $"this run has {yTrain.shape[0]} and {yTest.shape[0]}.");
            return [];
        }
        var seeded = settings with { Seed = RunAnalysis.SeedFor(cfg.Seed, 4) };
        var posteriors = reps.Select(rep =>
        {
            var posterior = PosteriorEstimation.Of(rep.Name, rep.Input, rep.Train, yTrain, rep.Test, yTest, prior, seeded, log);
            // Each check leaves tens of MB of short-lived arrays (1,000 samples per test trace); collected now, not after
            // the heap has grown by seven of them.
            GC.Collect();
            return posterior;
        }).ToList();
        var reference = seeded with { Embedding = true, Estimator = Estimator.Kind.Flow };
        if (options.EmbeddingReference && EmbeddingReference(data, yTrain, yTest, prior, reference, skipped, log) is { } cnn)
            posteriors.Add(cnn);
        return posteriors;
    }

    // The upper reference: the traces in mV through sbi's CNN embedding, trained with a spline flow on the training traces
    // (with the MDN it stopped 1.3 nats below sbi's statistics, with the flow above them: docs/inference.md).
    private static EstimatedPosterior? EmbeddingReference(HhTraces data, Tensor yTrain, Tensor yTest, (double Low, double High)[] prior,
        PosteriorSettings settings, List<string> skipped, Action<string> log)
    {
        var file = data.File;
        if (!Embedding.fits(Embedding.defaults(file.Length)))
        {
            skipped.Add($"the {EmbeddingName} skipped: traces of {file.Length} samples are too short for it.");
            return null;
        }
        using var scope = NewDisposeScope();
        var traces = new TraceMap(file.Length).Tensor(FeatureTraces.From(file));
        using var train = tensor(file.TrainIndices.Select(i => (long)i).ToArray());
        using var test = tensor(file.TestIndices.Select(i => (long)i).ToArray());
        var posterior = PosteriorEstimation.Of(EmbeddingName, "traces in mV", traces.index_select(0, train), yTrain,
            traces.index_select(0, test), yTest, prior, settings, log);
        GC.Collect();
        return posterior;
    }

    /// <summary>What a reader needs to read the information table (nothing when there is none).</summary>
    public static IEnumerable<string> Notes(IReadOnlyList<EstimatedPosterior> posteriors)
    {
        if (posteriors.Count == 0)
            yield break;
        var s = Settings;
        yield return "Information: a lower bound on the mutual information I(gK, gNa; s) >= H(gK, gNa) + E log q(gK, gNa | s) in nats, H of the "
            + "uniform prior on the protocol's box, E over the test traces, with a 95 % bootstrap interval; q a mixture density network "
            + "(sbi's mdn: 10 full-covariance components, two layers of 50) fitted on the training traces with sbi's loop (10 % validation, "
            + "batch 200, Adam 5e-4, stop after 20 epochs without improvement). A better estimator can only raise the bound.";
        if (posteriors.Any(p => p.Row.Representation == EmbeddingName))
            yield return $"The {EmbeddingName} is the table's upper reference: the traces in mV, z-scored by one mean and standard deviation, "
                + "average-pooled by 10, two convolutions (kernel 5, 6 and 12 channels, each with a max-pool of 2), dense layers of 50 and 20, "
                + "trained jointly with a neural spline flow (sbi's nsf) by the same loop (docs/inference.md).";
        yield return $"Calibration on up to {s.CalibrationPoints} test traces with {s.Samples} posterior samples each: SBC ranks tested against the "
            + "uniform (KS p-value per conductance), expected coverage of the highest-density regions at 50/80/95 %, TARP's area to the curve "
            + "(0 when calibrated); contraction is 1 - posterior variance / prior variance.";
    }
}
