using Vae.Model.Density;
using Vae.Simulation.Features;
using Vae.Simulation.Storage;
using static TorchSharp.torch;

namespace Vae.Runs.Inference;

/// <summary>
/// <c>infer fit</c>: a posterior estimator q(gK, gNa | s) for one representation s, fitted on a dataset's training traces
/// and checked on its test traces, in its own folder. The fit saves its state after every epoch: an interrupted fit
/// resumes where it stopped and ends with the same estimator as an uninterrupted one.
/// </summary>
public static class InferFit
{
    /// <summary>
    /// Fits <paramref name="request"/> into <paramref name="folder"/> on the traces of <paramref name="file"/> through
    /// <paramref name="latent"/> (the run's encoder, for the latent representation; null for features). A folder that
    /// holds a fit is refused unless <paramref name="resume"/> and it was asked with the same settings. The diagnostics go
    /// to <paramref name="report"/> before the estimator is written: a folder with an estimator has them too.
    /// </summary>
    public static EstimatedPosterior Run(EstimatorFolder folder, EstimatorRecord request, HhDatasetFile file, LatentMap? latent, bool resume,
        Action<string> log, Action<EstimatedPosterior> report, CancellationToken cancel = default)
    {
        Prepare(folder, request, resume);
        var traces = FeatureTraces.From(file);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (request.Representation.Embeds && !Embedding.fits(Embedding.defaults(traces.Length)))
            throw new UserInputException($"traces of {traces.Length} samples are too short for the embedding network "
                + "(pooled by 10, then two convolutions of 5 and max-pools of 2)", new Remedy.Act("use a feature representation (efel or sbi)"));
        RepresentationMap map = request.Representation.Features is { } set ? FeatureMap.Fit(traces, set)
            : request.Representation.Embeds ? new TraceMap(traces.Length)
            : latent ?? throw new ArgumentException("the latent representation needs the run's encoder", nameof(latent));
        using var scope = NewDisposeScope();
        var s = map.Tensor(traces);
        log($"  {request.Representation} of {file.Count} traces ({map.Width} numbers each) in {clock.Elapsed.TotalSeconds:F1} s");
        var theta = tensor(file.Parameters, [file.Count, 2], ScalarType.Float64);
        using var trainRows = tensor(file.TrainIndices.Select(i => (long)i).ToArray());
        using var testRows = tensor(file.TestIndices.Select(i => (long)i).ToArray());
        var record = request with
        {
            Width = map.Width,
            Imputation = (map as FeatureMap)?.Plan,
            TrainPairs = (int)trainRows.shape[0],
            TestPairs = (int)testRows.shape[0],
        };
        folder.Write(record);

        return Vae.Model.NativeSetup.WithThreads(PosteriorSettings.Threads, () =>
        {
            var settings = new PosteriorSettings(PosteriorEstimation.EstimatorKind(record.Estimator)!, record.Seed, MaxEpochs: record.MaxEpochs,
                Embedding: record.Representation.Embeds);
            var options = PosteriorEstimation.Options(settings);
            var (x, y) = (s.index_select(0, trainRows), theta.index_select(0, trainRows));
            var estimator = PosteriorEstimation.Settings(settings, x, y);
            var split = Fit.splitFor(estimator, options, x, y);
            var state = resume && File.Exists(folder.StatePath)
                ? Fit.loadState(folder.StatePath, options)
                : Fit.start(estimator, options);
            if (state.Epoch > 0)
                log($"  resuming the fit after epoch {state.Epoch}");
            state = Fit.run(options, split, Microsoft.FSharp.Core.FuncConvert.FromAction<Fit.State>(st =>
            {
                Fit.saveState(folder.StatePath, options, split, st);
                var last = st.History[^1];
                log($"  epoch {last.Epoch + 1}: mean log q {last.Train:F3} (training), {last.Validation:F3} (validation)");
                cancel.ThrowIfCancellationRequested();
            }), state);
            var fitted = Fit.fitted(split, state);
            AtomicFile.WriteAllText(folder.HistoryPath, "epoch,train_mean_log_q,validation_mean_log_q\n"
                + string.Concat(state.History.Select(e => FormattableString.Invariant($"{e.Epoch + 1},{e.Train:R},{e.Validation:R}\n"))));
            var prior = record.Prior.Select(b => (b[0], b[1])).ToArray();
            var checkedPosterior = PosteriorEstimation.Check(fitted, state.History.Length, record.Representation.Text, "traces in mV",
                s.index_select(0, testRows), theta.index_select(0, testRows), prior, settings);
            report(checkedPosterior);
            EstimatorFile.save(folder.EstimatorPath, fitted);
            return checkedPosterior;
        });
    }

    // A new folder, or the unfinished fit of the same request when resuming.
    private static void Prepare(EstimatorFolder folder, EstimatorRecord request, bool resume)
    {
        var held = File.Exists(folder.RecordPath);
        if (held && !resume)
            throw new UserInputException($"{folder.Root} already holds an estimator{(folder.Finished ? "" : " whose fit did not finish")}",
                folder.Finished ? [new Remedy.OtherOutputFolder()] : [new Remedy.ResumeFit(folder.Root), new Remedy.OtherOutputFolder()]);
        if (!held && resume)
            throw new UserInputException($"{folder.Root} holds no fit to resume", new Remedy.StartFit());
        if (held && folder.Finished)
            throw new UserInputException($"the fit in {folder.Root} has finished; there is nothing to resume", new Remedy.OtherOutputFolder());
        if (held && !folder.Record().SameFit(request))
            throw new UserInputException($"{folder.Root} holds a fit with other settings or data",
                new Remedy.Act("resume it with the settings in its estimator.json"), new Remedy.OtherOutputFolder());
        if (!held && Directory.Exists(folder.Root) && Directory.EnumerateFileSystemEntries(folder.Root).Any())
            throw new UserInputException($"{folder.Root} is not empty", new Remedy.OtherOutputFolder());
    }
}
