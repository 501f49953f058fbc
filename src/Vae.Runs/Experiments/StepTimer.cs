using System.Diagnostics;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Training;
using static TorchSharp.torch;
using Vae.Runs.Settings;

namespace Vae.Runs.Experiments;

/// <summary>Measures the mean training-step time of a config's model on synthetic data of the real shape.</summary>
public static class StepTimer
{
    /// <summary>Warm-up steps before timing: the first steps create oneDNN's kernels for the shapes.</summary>
    private const int WarmupSteps = 3;

    /// <summary>
    /// Mean seconds per step of the model of <paramref name="cfg"/> for <paramref name="features"/> per example of
    /// <paramref name="kind"/>, over <paramref name="steps"/> steps after <see cref="WarmupSteps"/> untimed ones.
    /// </summary>
    public static double MeanSeconds(TrainConfig cfg, DataKind kind, int features, int steps)
    {
        var gen = new Generator(0);
        var training = ModelCatalog.Build(cfg, kind, features)
            .StartTraining(TrainingRun.Optimizer(cfg, steps + WarmupSteps).Transform, cfg.Beta, gen);
        using var batch = kind == DataKind.Images
            ? rand([cfg.BatchSize, features], generator: gen).lt(0.15).to(float32)
            : rand([cfg.BatchSize, features], generator: gen);
        using var loop = new FunctionalLoop(training, batch, cfg.BatchSize, inPlace: true, gen);
        for (var i = 0; i < WarmupSteps; i++)
            loop.Step(i);
        var clock = Stopwatch.StartNew();
        for (var i = WarmupSteps; i < steps + WarmupSteps; i++)
            loop.Step(i);
        return clock.Elapsed.TotalSeconds / steps;
    }
}
