using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Training;
using Vae.Model.Analysis;
using static TorchSharp.torch;
using Vae.Runs.Settings;

namespace Vae.Runs.Analysis;

/// <summary>
/// The MNIST part of the analysis: the digit in place of the factors (MI and MIG against the label), digit
/// accuracy of a linear probe and of k-NN on the latent means and on PCA of the pixels with as many
/// components, and the importance-weighted negative log-likelihood of the whole test set.
/// </summary>
public static class MnistAnalysis
{
    /// <summary>Analyzes an MNIST run; <paramref name="muTrain"/>/<paramref name="muTest"/> are its posterior means.</summary>
    public static AnalysisOutput Of(TrainConfig cfg, MnistImages data, ITrainedModel model, Tensor muTrain, Tensor muTest,
        double[] kl, AnalysisOptions options, Action<string> log)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Labels are renumbered 0..classes-1 in the order of the digits kept.
        var digits = data.TrainLabels.Concat(data.TestLabels).Distinct().Order().ToArray();
        int[] Index(int[] labels) => labels.Select(l => Array.IndexOf(digits, l)).ToArray();
        var (trainLabels, testLabels) = (Index(data.TrainLabels), Index(data.TestLabels));
        var nTrain = data.Train.Count;
        var (xTrain, xTest) = (data.Train.All(), data.Test.All());
        var skipped = new List<string>();
        var reps = new List<(string, Tensor, Tensor)> { (AnalysisResult.LatentName, muTrain, muTest) };
        if (model.LatentDim <= Math.Min(nTrain, data.Features))
        {
            var pca = Pca.fit(RunAnalysis.SeedFor(cfg.Seed, 1), model.LatentDim, xTrain);
            reps.Add((AnalysisResult.PixelPcaName(model.LatentDim), Pca.project(pca, xTrain), Pca.project(pca, xTest)));
        }
        else
            skipped.Add($"{AnalysisResult.PixelPcaName(model.LatentDim)} skipped: {model.LatentDim} components need at least {model.LatentDim} "
                + $"training images, this run has {nTrain}.");
        var folds = RunAnalysis.FoldsFor(nTrain);
        if (folds < 2)
            skipped.Add($"k-NN digit accuracy skipped: cross-validating k needs at least 2 training images, this run has {nTrain}.");
        var rows = new List<DigitRow>();
        foreach (var (name, train, test) in reps)
        {
            var probe = Classification.linearProbe(digits.Length, train, trainLabels);
            rows.Add(new DigitRow(name, AnalysisResult.LinearProbe, (int)train.shape[1],
                Classification.accuracy(testLabels, probe.Predict.Invoke(test)), probe.Chosen));
            if (folds < 2)
                continue;
            var knn = Classification.knn(digits.Length, Regression.defaultKs, folds, RunAnalysis.SeedFor(cfg.Seed, 0), train, trainLabels);
            rows.Add(new DigitRow(name, AnalysisResult.Knn, (int)train.shape[1], Classification.accuracy(testLabels, knn.Predict.Invoke(test)),
                knn.Chosen));
        }
        foreach (var line in skipped)
            log($"  {line}");
        log($"  digit probes in {clock.Elapsed.TotalSeconds:F1} s");

        var (dims, mi, entropy) = RunAnalysis.Information(RunAnalysis.Columns(muTest), [testLabels], kl);
        double? nll = null;
        var notes = new List<string>
        {
            "Classifiers are fitted on the training images and scored on the test images; the linear probe is multinomial logistic regression on "
                + $"standardized inputs (300 full-batch NAdamW steps from zero, L2 1e-4), k-NN's k by {folds}-fold cross-validation.",
            "MI and MIG use the test set's posterior means against the digit label, 20 equal-width bins per latent dimension; "
                + "SAP and DCI are left out: the label is one discrete factor.",
        };
        if (options.Iwae && model.HasLikelihood)
        {
            using var gen = new Generator(RunAnalysis.SeedFor(cfg.Seed, 3));
            nll = model.NegativeLogLikelihood(xTest, options.IwaeSamples, gen).Average();
            log($"  IWAE bound with K = {options.IwaeSamples} in {clock.Elapsed.TotalSeconds:F1} s");
            notes.Add($"IWAE: K = {options.IwaeSamples} draws from q(z|x) per test image, fixed seed; -log p(x) ~= -(logsumexp_k log w_k - log K).");
        }
        var elbo = HeldOutEvaluation.Of(model, cfg with { Beta = 1.0 }, data.Test);
        return new AnalysisOutput(new AnalysisResult
        {
            Dataset = Dataset.Mnist.Text,
            LatentDim = model.LatentDim,
            TrainExamples = nTrain,
            TestExamples = data.Test.Count,
            Factors = ["digit"],
            ActiveUnits = dims.Count(d => d.Active),
            Dimensions = dims,
            Mig = Information.mig(mi, entropy),
            MigPerFactor = Information.migPerFactor(mi, entropy),
            Digits = [.. rows],
            IwaeNll = nll,
            IwaeSamples = nll is null ? null : options.IwaeSamples,
            TestNegativeElbo = elbo.Reconstruction + elbo.Kl,
            Notes = [.. notes],
            Skipped = [.. skipped],
        }, [], null);
    }
}
