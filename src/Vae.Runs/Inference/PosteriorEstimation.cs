using Vae.Model;
using Vae.Model.Density;
using static TorchSharp.torch;

namespace Vae.Runs.Inference;

/// <summary>
/// How a posterior is estimated and checked: the estimator (sbi's defaults), the fit's seed, the posterior samples per
/// test point for calibration, the test points calibration uses at most, and the bootstrap of the information bound.
/// </summary>
/// <param name="Estimator">The density estimator's family.</param>
/// <param name="Seed">Seed of the fit (split, batches, initialization), the samples and the bootstrap.</param>
/// <param name="Samples">Posterior samples per test point for SBC and coverage (sbi's SBC uses 1,000).</param>
/// <param name="CalibrationPoints">Test points of SBC, coverage and TARP at most (the first of the test split).</param>
/// <param name="Resamples">Bootstrap resamples of the mean log density.</param>
/// <param name="MaxEpochs">Epochs of the fit at most (it stops earlier when the validation stops improving).</param>
/// <param name="Embedding">Whether s is a trace that an embedding network (sbi's CNN) trained with the estimator turns into features.</param>
public sealed record PosteriorSettings(
    Estimator.Kind Estimator, ulong Seed, int Samples = 1000, int CalibrationPoints = 2000, int Resamples = 1000, int MaxEpochs = 1000,
    bool Embedding = false)
{
    /// <summary>Credibility levels the tables report expected coverage at.</summary>
    public static readonly double[] CoverageLevels = [0.5, 0.8, 0.95];
    /// <summary>Level of the bootstrap interval of the information bound.</summary>
    public const double IntervalLevel = 0.95;
    /// <summary>Bins of the SBC rank histograms.</summary>
    public const int RankBins = 20;
    /// <summary>
    /// libtorch threads of every fit and check: one, as the estimators are too small to gain from more
    /// (<see cref="Vae.Model.NativeSetup.withThreads"/> says what a second costs).
    /// </summary>
    public const int Threads = 1;
}

/// <summary>What a representation tells about the parameters, in nats, and how calibrated its posterior is.</summary>
/// <param name="Representation">Its name, as in the recovery table.</param>
/// <param name="Input">What it was computed from.</param>
/// <param name="Dimensions">Its columns.</param>
/// <param name="Estimator">The density estimator (mdn or flow).</param>
/// <param name="Epochs">Epochs the fit ran.</param>
/// <param name="TestPairs">Test pairs the mean log density is taken over.</param>
/// <param name="MeanLogDensity">Mean log q(theta | s) of the test pairs' true theta.</param>
/// <param name="Nats">The lower bound I(theta; s) >= H(theta) + E log q (nats), with its bootstrap interval.</param>
/// <param name="PosteriorStd">Mean posterior standard deviation per parameter, in the parameter's unit.</param>
/// <param name="Contraction">1 - E[posterior variance] / prior variance per parameter.</param>
/// <param name="SbcP">KS p-value of the SBC ranks per parameter.</param>
/// <param name="Coverage">Expected coverage at <see cref="PosteriorSettings.CoverageLevels"/>.</param>
/// <param name="TarpAtc">TARP's area to the curve (0 when calibrated).</param>
public sealed record InformationRow(
    string Representation, string Input, int Dimensions, string Estimator, int Epochs, int TestPairs, double MeanLogDensity,
    Calibration.Interval Nats,
    double[] PosteriorStd, double[] Contraction, double[] SbcP, double[] Coverage, double TarpAtc);

/// <summary>A posterior estimated for one representation, checked on test pairs, with the curves its figures draw.</summary>
/// <param name="Row">The table row.</param>
/// <param name="RankHistograms">SBC rank counts per parameter, <see cref="PosteriorSettings.RankBins"/> bins.</param>
/// <param name="CoverageCurve">Expected coverage at levels 0, 0.05, .., 1.</param>
/// <param name="Examples">Posterior samples of the first three test points: [point][parameter][sample].</param>
/// <param name="ExampleTruth">Their true parameters: [point][parameter].</param>
public sealed record EstimatedPosterior(
    InformationRow Row, int[][] RankHistograms, (double[] Levels, double[] Coverage) CoverageCurve, double[][][] Examples, double[][] ExampleTruth);

/// <summary>
/// Neural posterior estimation for one representation s of the traces: a conditional density q(theta | s) fitted on
/// the training pairs (sbi's loop, <see cref="Fit"/>), then on the test pairs the mean log density, the information
/// bound with a bootstrap interval, posterior widths and contraction, SBC, expected coverage and TARP.
/// </summary>
public static class PosteriorEstimation
{
    /// <summary>Fits q(theta | s) to the pairs (s [n, d], theta [n, k]) with sbi's loop; the fitted estimator and the history.</summary>
    public static (Estimator.Fitted Fitted, Fit.Epoch[] History) Fit(Tensor s, Tensor theta, PosteriorSettings settings)
    {
        var options = Options(settings);
        var (x, y) = (s.to(ScalarType.Float64), theta.to(ScalarType.Float64));
        var (fitted, history) = Vae.Model.Density.Fit.fit(Settings(settings, s, theta), options, x, y).ToValueTuple();
        return (fitted, history);
    }

    /// <summary>The loop's options for <paramref name="settings"/>: sbi's, with its seed and epoch limit.</summary>
    public static Fit.Options Options(PosteriorSettings settings)
    {
        var d = Vae.Model.Density.Fit.Options.Defaults;
        return new(d.ValidationFraction, d.BatchSize, d.LearningRate, d.StopAfterEpochs, d.ClipMaxNorm, settings.MaxEpochs, settings.Seed, d.Spec);
    }

    /// <summary>The estimator's sizes for pairs (s [n, d], theta [n, k]): sbi's defaults, with its CNN embedding on traces s.</summary>
    public static Estimator.Settings Settings(PosteriorSettings settings, Tensor s, Tensor theta) => settings.Embedding
        ? Estimator.embedded(settings.Estimator, (int)s.shape[1], (int)theta.shape[1])
        : Estimator.defaults(settings.Estimator, (int)s.shape[1], (int)theta.shape[1]);

    /// <summary>
    /// Fits q(theta | s) on the training pairs and checks it on the test pairs (<see cref="Check"/>) for representation
    /// <paramref name="name"/>: s [n, d], theta [n, k] drawn uniformly from the box <paramref name="prior"/>.
    /// </summary>
    public static EstimatedPosterior Of(string name, string input, Tensor train, Tensor thetaTrain, Tensor test, Tensor thetaTest,
        (double Low, double High)[] prior, PosteriorSettings settings, Action<string>? log = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Vae.Model.NativeSetup.WithThreads(PosteriorSettings.Threads, () =>
        {
            // Every tensor of the fit (the split, the estimator, the optimizer's state) is freed here, not by the GC later:
            // the analysis fits seven estimators in a row.
            using var scope = NewDisposeScope();
            var (fitted, history) = Fit(train, thetaTrain, settings);
            return Check(fitted, history.Length, name, input, test, thetaTest, prior, settings);
        });
        var n = result.Row.Nats;
        log?.Invoke($"  posterior of {name}: {n.Estimate:F2} nats ({n.Low:F2} .. {n.High:F2}), {result.Row.Epochs} epochs, "
            + $"{clock.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    /// <summary>
    /// On the test pairs: the mean log density of the true theta, the information bound with its bootstrap interval, and on
    /// the first <see cref="PosteriorSettings.CalibrationPoints"/> of them posterior widths, contraction, SBC, expected
    /// coverage and TARP from <see cref="PosteriorSettings.Samples"/> samples each.
    /// </summary>
    public static EstimatedPosterior Check(Estimator.Fitted fitted, int epochs, string name, string input, Tensor test, Tensor thetaTest,
        (double Low, double High)[] prior, PosteriorSettings settings)
    {
        using var scope = NewDisposeScope();
        var (xt, yt) = (test.to(ScalarType.Float64), thetaTest.to(ScalarType.Float64));
        var logQ = Interop.toArray(Estimator.logProbChunked(fitted, xt, yt));
        var (low, high) = (prior.Select(p => p.Low).ToArray(), prior.Select(p => p.High).ToArray());
        var seed = (int)(settings.Seed % int.MaxValue);
        var nats = Calibration.informationBound(Calibration.uniformBoxEntropy(low, high), seed, settings.Resamples,
            PosteriorSettings.IntervalLevel, logQ);
        var points = (int)Math.Min(settings.CalibrationPoints, xt.shape[0]);
        var context = xt.narrow(0, 0, points);
        using var gen = new Generator(settings.Seed ^ 0x5bd1e995UL);
        var drawn = Estimator.sample(fitted, gen, settings.Samples, context);
        var samples = Calibration.Samples.OfTensor(drawn);
        var truth = Rows(yt.narrow(0, 0, points));
        var (_, std) = Calibration.posteriorMoments(samples).ToValueTuple();
        var ranks = Calibration.sbcRanks(truth, samples);
        var hpd = Calibration.hpdLevels(logQ[..points], LogProbOfSamples(fitted, context, drawn));
        var tarp = Calibration.tarp(seed, Math.Max(1, points / 10), truth, samples);
        var k = truth[0].Length;
        var row = new InformationRow(name, input, fitted.Settings.Context, EstimatorName(settings.Estimator), epochs, logQ.Length,
            logQ.Average(), nats,
            [.. Enumerable.Range(0, k).Select(d => std.Average(r => r[d]))],
            Calibration.contraction(Calibration.uniformBoxVariance(low, high), samples),
            Calibration.sbcPValues(settings.Samples, ranks),
            [.. PosteriorSettings.CoverageLevels.Select(a => Calibration.coverage(hpd, a))], tarp.Atc);
        var histograms = Enumerable.Range(0, k)
            .Select(d => Calibration.rankHistogram(settings.Samples, PosteriorSettings.RankBins, [.. ranks.Select(r => r[d])])).ToArray();
        var examples = Enumerable.Range(0, Math.Min(3, points))
            .Select(i => Enumerable.Range(0, k).Select(d => Enumerable.Range(0, settings.Samples).Select(j => samples.At(i, j, d)).ToArray())
                .ToArray())
            .ToArray();
        return new EstimatedPosterior(row, histograms, Calibration.coverageCurve(20, hpd).ToValueTuple(), examples, truth[..examples.Length]);
    }

    // log q of every sample of every point, a few points at a time: each point's context repeated once per sample would
    // otherwise take points x samples x context values at once (2,000 x 1,000 x 11 doubles, 176 MB, for eFEL features).
    private static double[] LogProbOfSamples(Estimator.Fitted fitted, Tensor context, Tensor samples)
    {
        var (points, count) = (samples.shape[0], samples.shape[1]);
        var perChunk = Math.Max(1, Estimator.chunkRows / count);
        var values = new double[points * count];
        for (long first = 0; first < points; first += perChunk)
        {
            using var scope = NewDisposeScope();
            var rows = Math.Min(perChunk, points - first);
            Interop.toArray(Estimator.logProbOfSamples(fitted, context.narrow(0, first, rows), samples.narrow(0, first, rows)))
                .CopyTo(values, first * count);
        }
        return values;
    }

    /// <summary>The estimator's name in tables and settings.</summary>
    public static string EstimatorName(Estimator.Kind kind) => kind.IsMdn ? "mdn" : "flow";

    /// <summary>The estimator family of a name (<see cref="EstimatorName"/>), or null.</summary>
    public static Estimator.Kind? EstimatorKind(string name) =>
        name == "mdn" ? Estimator.Kind.Mdn : name == "flow" ? Estimator.Kind.Flow : null;

    private static double[][] Rows(Tensor t)
    {
        var (n, k) = ((int)t.shape[0], (int)t.shape[1]);
        var flat = Interop.toArray(t);
        return [.. Enumerable.Range(0, n).Select(i => flat.AsSpan(i * k, k).ToArray())];
    }
}
