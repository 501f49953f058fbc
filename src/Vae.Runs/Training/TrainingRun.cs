using System.Diagnostics;
using TorchSharp;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Model;
using static TorchSharp.torch;
using Vae.Runs.Settings;
using Vae.Runs.Metrics;

namespace Vae.Runs.Training;

/// <summary>The outcome of a training run: its config and metrics, where the run folder is, and whether it finished.</summary>
public sealed record RunResult(TrainConfig Config, RunFolder Folder, MetricsTable Metrics, bool Finished)
{
    /// <summary>What the end-of-training analysis left out on this data and why (too few examples), one line each.</summary>
    public IReadOnlyList<string> AnalysisSkipped { get; init; } = [];

    /// <summary>The trained model of a finished run (null while it is unfinished), to analyze, encode or render.</summary>
    public ITrainedModel? Model { get; init; }
}

/// <summary>Thrown when the loss stops being finite; the last good checkpoint is kept.</summary>
public sealed class NonFiniteLossException(string problem, params Remedy[] remedies) : RunFailedException(problem, remedies);

/// <summary>
/// The training loop: seeded batches (with fresh measurement noise every epoch when the config asks for it,
/// <see cref="EpochMeasurementNoise"/>), the cosine schedule over the run's steps, one NAdamW step per batch, test
/// evaluation with a fixed seed after every epoch, metrics.csv and an atomic checkpoint per epoch, and the final
/// model. All randomness derives from the config's seed and the step or epoch counter, so a run
/// resumed from its checkpoint continues exactly as the uninterrupted run would.
/// </summary>
/// <remarks>
/// <paramref name="stopAfter"/> pauses the run after that many epochs, as an interruption would; the run
/// continues with <c>--resume</c>. <paramref name="openFolder"/> gives the run folder (creating a new one) once
/// the settings have been checked against the data and the model is built. <paramref name="cancel"/> (Ctrl+C,
/// SIGTERM) stops it before the next batch and leaves the run as of its last epoch's checkpoint, which
/// <c>--resume</c> continues as if never stopped. A finished run's result holds its trained model, which the
/// caller analyzes (<see cref="Analysis.RunAnalysis"/>) and renders.
/// </remarks>
public sealed class TrainingRun(TrainConfig cfg, TrainingData data, Func<RunFolder> openFolder, bool resume, IProgressSink progress,
    int? stopAfter = null, CancellationToken cancel = default)
{
    /// <summary>Trains (or continues training) <paramref name="model"/>, as <see cref="ModelCatalog.Build"/> makes it for the run.</summary>
    public RunResult Train(VaeModel model)
    {
        var batches = BatchOrder.BatchesPerEpoch(data.Train.Count, cfg.BatchSize);
        if (batches == 0)
            throw new UserInputException($"the batch size {cfg.BatchSize} is larger than the {data.Train.Count} training examples",
                new Remedy.ChangeSetting("batchSize", "a smaller"));
        KernelSelfCheck.Require(model.Convolutions);
        var totalSteps = (long)batches * cfg.Epochs;
        var (optimizer, schedule) = Optimizer(cfg, totalSteps);

        var noise = EpochMeasurementNoise.For(cfg, data);
        using var gen = new Generator((ulong)Seeds.Derive(cfg.Seed, Seeds.Purpose.Init, 0));
        var training = model.StartTraining(optimizer, cfg.Beta, gen);
        // Everything that can be refused has been checked: only now does a new run's folder appear.
        var folder = openFolder();
        var metrics = new MetricsTable(cfg.LatentDim);
        long step = 0;
        if (resume && File.Exists(folder.LastCheckpoint))
        {
            var loaded = ResumeCheck.Load(folder, () => training.LoadCheckpoint(folder.LastCheckpoint, CPU));
            training.Dispose();
            (training, step) = (loaded, loaded.Updates);
            metrics = ResumeCheck.Metrics(folder);
            if (step != (long)batches * metrics.Epochs.Count)
                throw new InvalidDataException($"{folder.LastCheckpoint} is at step {step} but metrics.csv has {metrics.Epochs.Count} epochs "
                                               + $"of {batches} steps; the run folder is inconsistent.");
            if (metrics.LatentDim != cfg.LatentDim)
                throw new InvalidDataException($"{folder.MetricsPath} has {metrics.LatentDim} latent dimensions but the run has {cfg.LatentDim}; "
                                               + "the run folder is inconsistent.");
        }

        var lastEpoch = Math.Min(cfg.Epochs, stopAfter ?? cfg.Epochs);
        for (var epoch = metrics.Epochs.Count; epoch < lastEpoch; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var order = BatchOrder.ForEpoch(data.Train.Count, cfg.Shuffle, cfg.Seed, epoch);
            double sumLoss = 0, sumRecon = 0, sumKl = 0;
            progress.EpochStarted(epoch + 1, cfg.Epochs, batches);
            var stepTimes = new EpochStepTimes(batches);
            for (var b = 0; b < batches; b++)
            {
                if (cancel.IsCancellationRequested)
                    throw new RunInterruptedException($"interrupted in epoch {epoch + 1}; the run keeps its state after epoch {metrics.Epochs.Count}",
                        new Remedy.ResumeRun(folder.Root));
                Losses.Metrics m;
                var stepClock = Stopwatch.StartNew();
                using (var scope = NewDisposeScope())
                {
                    var rows = order.AsSpan(b * cfg.BatchSize, cfg.BatchSize).ToArray();
                    var batch = noise is null ? data.Train.Rows(rows) : noise.AddTo(data.Train.Rows(rows), rows, epoch);
                    gen.manual_seed(Seeds.Derive(cfg.Seed, Seeds.Purpose.TrainNoise, step));
                    m = training.StepInPlace(batch, gen, step);
                }
                if (!double.IsFinite(m.Loss))
                    throw NonFiniteLossCause.For(m.Loss, epoch, step, Kept(metrics.Epochs.Count), data.Train);
                stepTimes.Add(stepClock.Elapsed.TotalSeconds);
                (sumLoss, sumRecon, sumKl) = (sumLoss + m.Loss, sumRecon + m.Reconstruction, sumKl + m.Kl);
                step++;
                progress.BatchDone(b + 1, m.Loss);
            }
            var trained = new TrainedModel(training.Model);
            var test = HeldOutEvaluation.Of(trained, cfg, data.Test);
            var row = EpochMetrics.Of(epoch + 1, step, schedule.At(step - 1), clock.Elapsed.TotalSeconds,
                (sumLoss, sumRecon, sumKl), batches, test, data.Features) with
            {
                StepTimes = stepTimes.Percentiles(),
            };
            metrics.Add(row);
            // Checkpoint before metrics: a crash in between leaves a checkpoint one epoch ahead, which resume detects.
            training.SaveCheckpoint(folder.LastCheckpoint);
            folder.WriteText(folder.MetricsPath, metrics.ToCsv());
            progress.EpochDone(epoch + 1, cfg.Epochs, row);
            using (var shown = data.Test.Rows(0, Math.Min(data.Test.Count, SinkExamples)))
                progress.EpochModel(epoch + 1, trained, shown);
        }
        if (metrics.Epochs.Count < cfg.Epochs)
            return new RunResult(cfg, folder, metrics, Finished: false);
        training.Model.Save(folder.FinalModel, step);
        return new RunResult(cfg, folder, metrics, Finished: true) { Model = new TrainedModel(training.Model) };
    }

    // The test examples a sink sees (latent histograms): all of a split of the main command's size, not all of a huge one.
    private const int SinkExamples = 10_000;

    // What a run stopped by a diverging loss keeps; a new run without a finished epoch is removed (RunLauncher).
    private string Kept(int epochs) => epochs > 0 ? $"the run stopped and keeps its last good checkpoint ({epochs} epochs)"
        : resume ? "the run stopped before finishing an epoch; its folder keeps only its config"
        : "the run stopped before finishing an epoch, so nothing of it is kept";

    /// <summary>
    /// The study's NAdamW with the config's decay and clip (0: none), and its cosine schedule over <paramref name="totalSteps"/> updates.
    /// </summary>
    public static (Optim.GradientTransformation Transform, Schedule Schedule) Optimizer(TrainConfig cfg, long totalSteps)
    {
        var schedule = Schedule.CosineDecay(initial: cfg.LearningRate, decaySteps: totalSteps, alpha: cfg.FinalLrFraction,
            exponent: cfg.ScheduleExponent);
        var clip = cfg.GradClip > 0 ? Microsoft.FSharp.Core.FSharpOption<double>.Some(cfg.GradClip) : Microsoft.FSharp.Core.FSharpOption<double>.None;
        return (Nadamw.study(cfg.WeightDecay, clip, schedule), schedule);
    }
}
