using Vae.Model.Density;
using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Noise;
using Vae.Simulation.Protocols;
using Vae.Simulation.Traces;
using static TorchSharp.torch;

namespace Vae.Runs.Inference;

/// <summary>Mean, median and the central 90 % credible interval of one parameter's posterior samples.</summary>
public sealed record PosteriorSummary(string Parameter, double Mean, double Median, double Low, double High);

/// <summary>
/// The posterior of an observation: samples [parameter][sample] inside the prior box, the share of draws that fell
/// inside it, each parameter's summary, and traces simulated from the first samples (mV on the observation's grid).
/// </summary>
public sealed record InferredPosterior(Observation Observation, double[][] Samples, double Acceptance, PosteriorSummary[] Summary,
    double[][] Predictive, double[] TimeMs);

/// <summary>
/// <c>infer</c>: posterior samples of (gK, gNa) for an observed trace from a fitted estimator, as sbi samples a posterior:
/// draws outside the prior's box are rejected (an estimator puts some mass outside the box it was fitted in).
/// </summary>
public static class InferApply
{
    /// <summary>Posterior-predictive traces simulated from the first posterior samples.</summary>
    public const int PredictiveTraces = 20;
    /// <summary>Below this share of draws inside the prior box the observation is too unlike the training traces to trust.</summary>
    public const double MinAcceptance = 0.01;

    /// <summary>
    /// <paramref name="count"/> posterior samples for <paramref name="observation"/> from the estimator in
    /// <paramref name="folder"/> (its record <paramref name="record"/>); <paramref name="latent"/> is the run's encoder for the
    /// latent representation. Seeded by the record's seed: the same observation gives the same samples.
    /// </summary>
    public static InferredPosterior Run(EstimatorFolder folder, EstimatorRecord record, Observation observation, int count, LatentMap? latent)
    {
        var protocol = HhProtocol.FromName(record.Protocol);
        RepresentationMap map = record.Representation.Features is { } set
            ? new FeatureMap(set, record.Imputation ?? throw new InvalidDataException($"{folder.RecordPath} has no missing-value plan"))
            : record.Representation.Embeds ? new TraceMap(record.Width)
            : latent ?? throw new ArgumentException("the latent representation needs the run's encoder", nameof(latent));
        using var scope = NewDisposeScope();
        var s = map.Tensor(observation.AsTraces(protocol));
        var fitted = EstimatorFile.load(folder.EstimatorPath, CPU);
        using var gen = new Generator(record.Seed ^ 0x9e3779b9UL);
        var (samples, acceptance) = Vae.Model.NativeSetup.WithThreads(PosteriorSettings.Threads,
            () => InsidePrior(fitted, gen, s, count, record.Prior));
        if (acceptance < MinAcceptance)
            throw new UserInputException($"only {100 * acceptance:G2} % of the posterior draws for {observation.Source} fall inside the prior's box: "
                + "the trace is unlike every training trace of this estimator", new Remedy.Act("check the trace's protocol, units and stimulus"));
        var summary = record.Parameters.Select((name, j) => Summarize(name, samples[j])).ToArray();
        var predictive = Simulate(protocol, record.Noise, samples, record.Seed);
        return new InferredPosterior(observation, samples, acceptance, summary, predictive, protocol.TimeAxis());
    }

    // Draws in rounds until `count` fall inside the box, or 100 times as many were drawn; the acceptance counts the draws looked at.
    private static (double[][] Samples, double Acceptance) InsidePrior(Estimator.Fitted fitted, Generator gen, Tensor s, int count, double[][] box)
    {
        var kept = box.Select(_ => new List<double>(count)).ToArray();
        long drawn = 0;
        while (kept[0].Count < count && drawn < 100L * count)
        {
            var values = Vae.Model.Interop.toArray(Estimator.sample(fitted, gen, count, s));
            for (var i = 0; i < count && kept[0].Count < count; i++)
            {
                drawn++;
                var row = values.AsSpan(i * box.Length, box.Length).ToArray();
                var inside = Enumerable.Range(0, box.Length).All(j => row[j] >= box[j][0] && row[j] <= box[j][1]);
                if (inside)
                    for (var j = 0; j < box.Length; j++)
                        kept[j].Add(values[i * box.Length + j]);
            }
        }
        return ([.. kept.Select(k => k.ToArray())], kept[0].Count / (double)drawn);
    }

    private static PosteriorSummary Summarize(string name, double[] values)
    {
        var sorted = values.Order().ToArray();
        double Quantile(double q) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * sorted.Length))];
        return new PosteriorSummary(name, values.Length == 0 ? double.NaN : values.Average(), Quantile(0.5), Quantile(0.05), Quantile(0.95));
    }

    // The first samples simulated with the estimator's protocol and noise (another noise seed: new noise, as a new recording).
    private static double[][] Simulate(HhProtocol protocol, HhNoise noise, double[][] samples, ulong seed)
    {
        var n = Math.Min(PredictiveTraces, samples[0].Length);
        if (n == 0)
            return [];
        var cells = Enumerable.Range(0, n).Select(i => new Conductances(samples[0][i], samples[1][i])).ToArray();
        var dataset = new HhDataset(protocol, cells, SolverOptions.Default, seed, "posterior samples", noise: noise with { Seed = seed + 1 });
        DatasetGenerator.Simulate(dataset, threads: 1);
        return [.. Enumerable.Range(0, n).Select(dataset.RawTrace)];
    }
}
