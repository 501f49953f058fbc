using Microsoft.FSharp.Core;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Training;
using Vae.Model.Analysis;
using static TorchSharp.torch;
using Vae.Runs.Settings;
using Vae.Simulation.Traces;

namespace Vae.Runs.Analysis;

/// <summary>
/// The HH part of the analysis: gK and gNa regressed on the latent means and on baselines computed from the
/// same traces (PCA of the model's input with as many components as the latent and with 10; hand-crafted
/// feature sets), ridge and k-NN; MI/MIG/SAP/DCI of the latent dimensions against the two conductances.
/// </summary>
public static class HhAnalysis
{
    /// <summary>The factors of HH data, in order.</summary>
    public static readonly string[] Factors = ["gK", "gNa"];

    /// <summary>Traces per block of the PCA's passes over a split: 20 MB of 5,000-sample traces.</summary>
    public const int PcaBlockRows = 1024;

    private static FSharpFunc<Unit, IEnumerable<Tensor>> Blocks(ModelInputRows rows) =>
        FuncConvert.FromFunc(() => rows.Batches(PcaBlockRows));

    /// <summary>A representation of the training and test traces.</summary>
    public sealed record Representation(string Name, string Input, Tensor Train, Tensor Test);

    /// <summary>Analyzes an HH run; <paramref name="muTrain"/>/<paramref name="muTest"/> are its posterior means.</summary>
    public static AnalysisOutput Of(TrainConfig cfg, HhTraces data, ITrainedModel model, Tensor muTrain, Tensor muTest,
        double[] kl, AnalysisOptions options, Action<string> log)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var yTrain = Factor(data.TrainConductances);
        var yTest = Factor(data.TestConductances);
        var input = cfg.Scaling == ScalingMode.Dataset
            ? "model input (dataset-scaled, = mV up to one affine map)"
            : "model input (each trace scaled to [0, 1])";
        var reps = new List<Representation> { new(AnalysisResult.LatentName, input, muTrain, muTest) };
        var (nTrain, nTest) = (data.Train.Count, data.Test.Count);
        var skipped = new List<string>();
        foreach (var k in new[] { model.LatentDim, RunAnalysis.PcaComponents }.Distinct())
        {
            if (k > Math.Min(nTrain, data.Features))
            {
                skipped.Add($"{AnalysisResult.PcaName(k)} skipped: {k} components need at least {k} training traces, this run has {nTrain}.");
                continue;
            }
            // Fitted and applied a block of traces at a time: memory does not grow with the number of traces.
            var pca = Pca.fitBatches(RunAnalysis.SeedFor(cfg.Seed, 1), k, Blocks(data.Train));
            reps.Add(new(AnalysisResult.PcaName(k), input, Pca.projectBatches(pca, Blocks(data.Train)), Pca.projectBatches(pca, Blocks(data.Test))));
        }
        log($"  PCA of the traces in {clock.Elapsed.TotalSeconds:F1} s");
        reps.AddRange(FeatureRepresentations.Of(data, log));

        var rows = new List<RecoveryRow>();
        var predictions = new Dictionary<RecoveryRow, double[]>();
        // The latent means' k-NN regressor is also DCI's (its permutation importance below).
        (Regression.Fitted Fitted, RecoveryRow Row)? latentKnn = null;
        var folds = RunAnalysis.FoldsFor(nTrain);
        if (folds < 2)
            skipped.Add($"recovery of gK and gNa (and DCI) skipped: cross-validation needs at least 2 training traces, this run has {nTrain}.");
        else if (nTest < 2)
            skipped.Add($"R2 of the recovery is undefined (n/a): it needs at least 2 test traces, this run has {nTest}.");
        foreach (var rep in folds < 2 ? [] : reps)
            foreach (var (name, fit) in Regressors(cfg.Seed, folds))
            {
                var fitted = fit(rep.Train, yTrain);
                using var pred = fitted.Predict.Invoke(rep.Test);
                var row = new RecoveryRow(rep.Name, rep.Input, name, (int)rep.Train.shape[1],
                    Regression.r2(yTest, pred), Regression.rmse(yTest, pred), fitted.Chosen);
                rows.Add(row);
                predictions[row] = Vae.Model.Interop.toArray(pred);
                if (AnalysisResult.IsLatent(row) && name == AnalysisResult.Knn)
                    latentKnn = (fitted, row);
            }
        log($"  recovery of {rows.Count} representation x regressor pairs in {clock.Elapsed.TotalSeconds:F1} s");

        var posteriors = PosteriorAnalysis.Of(cfg, data, reps, yTrain, yTest, options, skipped, log);
        var (regions, featureErrors) = ReconstructionRegions.Of(data, model);
        log($"  reconstruction error by region of {regions.Traces} test traces in {clock.Elapsed.TotalSeconds:F1} s");

        var codes = RunAnalysis.Columns(muTest);
        var factorValues = RunAnalysis.Columns(yTest);
        var (dims, mi, entropy) = RunAnalysis.Information(codes, factorValues.Select(f => Information.discretize(RunAnalysis.Bins, f)).ToArray(), kl);
        // DCI's importance is the test error a permuted dimension adds, relative to the factors' test variance.
        var importance = latentKnn is var (knn, _) && nTest >= 2 ? Importance(cfg.Seed, knn, muTest, yTest) : null;
        if (importance is null && folds >= 2)
            skipped.Add($"DCI skipped: permutation importance needs at least 2 test traces, this run has {nTest}.");
        var dci = importance is null ? null : Information.dci(importance);
        foreach (var line in skipped)
            log($"  {line}");
        var iwae = Iwae(cfg, data, model, options, log, clock);
        var result = new AnalysisResult
        {
            Dataset = Dataset.Hh.Text,
            Scaling = cfg.Scaling.Text,
            LatentDim = model.LatentDim,
            TrainExamples = nTrain,
            TestExamples = nTest,
            Factors = Factors,
            ActiveUnits = dims.Count(d => d.Active),
            Dimensions = dims,
            Mig = Information.mig(mi, entropy),
            MigPerFactor = Information.migPerFactor(mi, entropy),
            Sap = Information.sap(Information.sapMatrix(codes, factorValues)),
            DciDisentanglement = dci?.Item1,
            DciCompleteness = dci?.Item2,
            DciInformativeness = importance is null ? null : latentKnn!.Value.Row.R2.Average(),
            DciImportance = importance is null
                ? null
                : Enumerable.Range(0, model.LatentDim).Select(i => Enumerable.Range(0, 2).Select(j => importance[i, j]).ToArray()).ToArray(),
            Recovery = [.. rows],
            Information = [.. posteriors.Select(p => p.Row)],
            ReconstructionRegions = regions,
            ReconstructedFeatures = featureErrors,
            Skipped = [.. skipped],
            IwaeNll = iwae?.PerTrace,
            IwaeNllPerSample = iwae?.PerTrace / data.Features,
            IwaeSamples = iwae is null ? null : options.IwaeSamples,
            IwaeUnit = iwae is null ? null : IwaeUnit,
            TestNegativeElbo = iwae?.NegativeElbo,
            Notes =
            [
                .. PosteriorAnalysis.Notes(posteriors),
                "Regressors are fitted on the training split and scored on the test split; inputs are standardized on the training split; "
                    + $"ridge alpha and k-NN k per factor by {folds}-fold cross-validation on the training split.",
                "MI, MIG, SAP, DCI and active units use the test set's posterior means; MI after 20 equal-width bins of each latent dimension and "
                    + "each conductance (disentanglement_lib).",
                "DCI importance: increase in test mean squared error of the k-NN regressor when one latent dimension is permuted, "
                    + "over the factor's variance (clamped at 0); informativeness is its mean test R^2. A permutation importance of the same "
                    + "nonlinear regressor as the recovery table, instead of the original's Lasso or random forests, "
                    + "so that a nonlinear code is not scored as uninformative.",
                $"Reconstruction error in mV through the posterior means on the first {regions.Traces} test traces; spike samples are those "
                    + $"from {SpikeWindows.BeforeMs} ms before to {SpikeWindows.AfterMs} ms after an upward 0 mV crossing "
                    + "of the original, the rest subthreshold. Feature errors: eFEL-style features of reconstruction and original, both in mV.",
                iwae?.Note ?? (model.HasLikelihood
                    ? "The importance-weighted likelihood was not asked for."
                    : $"The importance-weighted likelihood is left out: the {cfg.EffectiveLikelihood} decoder has no variance, so its bound is "
                        + "not a likelihood (train with the likelihood gaussian, gaussian-heteroscedastic or laplace to get it)."),
            ],
        };
        return new AnalysisOutput(result, Scatters(result, predictions, yTest), null, posteriors);
    }

    /// <summary>Test traces the importance-weighted likelihood is estimated on (the first of the test split).</summary>
    public const int IwaeTraces = 200;

    /// <summary>The unit of the HH likelihoods: nats per test trace, of the trace in mV.</summary>
    public const string IwaeUnit = "nats per trace in mV";

    // The importance-weighted NLL of the test traces and the negative ELBO (beta 1), both per trace in mV, or null
    // when the likelihood is not a density or the bound was not asked for.
    private static (double PerTrace, double NegativeElbo, string Note)? Iwae(TrainConfig cfg, HhTraces data, ITrainedModel model,
        AnalysisOptions options, Action<string> log, System.Diagnostics.Stopwatch clock)
    {
        if (!options.Iwae || !model.HasLikelihood)
            return null;
        using var gen = new Generator(RunAnalysis.SeedFor(cfg.Seed, 3));
        // The first test traces only: the decoder runs K times per trace (milliseconds each), as many as an epoch's steps.
        var n = Math.Min(IwaeTraces, data.Test.Count);
        using var xTest = data.Test.Rows(0, n).clone();
        var jacobian = data.TestLogMillivoltsPerUnit()[..n];
        var nll = model.NegativeLogLikelihood(xTest, options.IwaeSamples, gen);
        var shift = data.Features * jacobian.Average();
        var perTrace = nll.Select((v, i) => v + data.Features * jacobian[i]).Average();
        using var first = new InMemoryRows(xTest.clone());
        var elbo = HeldOutEvaluation.Of(model, cfg with { Beta = 1.0 }, first);
        log($"  IWAE bound with K = {options.IwaeSamples} in {clock.Elapsed.TotalSeconds:F1} s");
        var scaling = data.Map is { } map
            ? $"the dataset-wide map mV = {map.Scale:G6} x + {map.Offset:G6} adds {data.Features} x ln {map.Scale:G6}"
            : "each trace's own scaling to [0, 1] adds samples x ln(its max - min in mV), a density of the trace given its range";
        return (perTrace, elbo.Reconstruction + elbo.Kl + shift,
            $"IWAE: K = {options.IwaeSamples} draws from q(z|x) per test trace on the first {n} test traces, fixed seed; "
                + "-log p(x) ~= -(logsumexp_k log w_k - log K), "
                + $"under the {cfg.EffectiveLikelihood} likelihood, in nats per trace in mV: the model's units plus the Jacobian ({scaling}); "
                + "the negative ELBO likewise; per sample = per trace / samples.");
    }

    /// <summary>The two regressors of the recovery table, cross-validated over <paramref name="folds"/> folds.</summary>
    public static IEnumerable<(string Name, Func<Tensor, Tensor, Regression.Fitted> Fit)> Regressors(long seed, int folds) =>
    [
        (AnalysisResult.Ridge, (x, y) => Regression.ridge(Regression.defaultAlphas, folds, RunAnalysis.SeedFor(seed, 0), x, y)),
        (AnalysisResult.Knn, (x, y) => Regression.knn(Regression.defaultKs, folds, RunAnalysis.SeedFor(seed, 0), x, y)),
    ];

    private static Tensor Factor((double GK, double GNa)[] c) =>
        tensor(c.SelectMany(v => new[] { v.GK, v.GNa }).ToArray(), [c.Length, 2], ScalarType.Float64);

    // Permutation importance of the latent means' k-NN regressor: the test error added by shuffling one latent dimension.
    private static double[,] Importance(long seed, Regression.Fitted fitted, Tensor muTest, Tensor yTest)
    {
        using var scope = NewDisposeScope();
        var basePred = fitted.Predict.Invoke(muTest);
        var variance = yTest.var(0, unbiased: false);
        var baseMse = (basePred - yTest).square().mean([0]);
        var z = (int)muTest.shape[1];
        var matrix = new double[z, 2];
        using var gen = new Generator(RunAnalysis.SeedFor(seed, 2));
        for (var d = 0; d < z; d++)
        {
            var shuffled = muTest.clone();
            shuffled[TensorIndex.Colon, d] = muTest[randperm(muTest.shape[0], generator: gen), d];
            var mse = (fitted.Predict.Invoke(shuffled) - yTest).square().mean([0]);
            var gain = ((mse - baseMse) / variance).clamp_min(0).data<double>().ToArray();
            for (var j = 0; j < 2; j++)
                matrix[d, j] = gain[j];
        }
        return matrix;
    }

    // The latent means' best row and the best baseline's (a feature set if any), as the recovery figure shows them.
    private static IReadOnlyList<RecoveryScatter> Scatters(AnalysisResult result, Dictionary<RecoveryRow, double[]> predictions, Tensor yTest)
    {
        var latent = result.Best(AnalysisResult.IsLatent);
        if (latent is null)
            return [];
        var baseline = result.Best(AnalysisResult.IsFeatureSet) ?? result.Best(r => !AnalysisResult.IsLatent(r));
        var truth = RunAnalysis.Columns(yTest);
        return new[] { latent, baseline }.OfType<RecoveryRow>().Select(row =>
        {
            var pred = predictions[row];
            var predicted = Enumerable.Range(0, 2).Select(j => Enumerable.Range(0, truth[j].Length).Select(i => pred[i * 2 + j]).ToArray()).ToArray();
            return new RecoveryScatter(row, truth, predicted);
        }).ToList();
    }
}
