using System.Diagnostics;
using TorchSharp;
using Vae.Host.Benchmarks;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Training;
using Vae.Model;
using static TorchSharp.torch;

namespace Vae.Host.Experiments;

/// <summary>Measures the mean training-step time of a config's model on synthetic data of the real shape.</summary>
public sealed class StepTimer(TrainConfig cfg, DataKind kind, int features, int steps) : IModelUser<double>
{
    /// <summary>Warm-up steps before timing: the first steps create oneDNN's kernels for the shapes.</summary>
    private const int WarmupSteps = 3;

    /// <summary>Mean seconds per step after <see cref="WarmupSteps"/> untimed steps.</summary>
    public double Use<TParams>(Vae<TParams> vae, Func<Generator, TParams> init)
    {
        var gen = new Generator(0);
        var p = init(gen);
        var trainer = new Vae.Model.Training.Trainer<TParams>(vae, TrainingRun.Optimizer(cfg, steps + WarmupSteps).Transform, cfg.Beta);
        using var batch = kind == DataKind.Images
            ? rand([cfg.BatchSize, features], generator: gen).lt(0.15).to(float32)
            : rand([cfg.BatchSize, features], generator: gen);
        using var loop = new FunctionalLoop<TParams>(trainer, p, batch, cfg.BatchSize, inPlace: true, gen);
        for (var i = 0; i < WarmupSteps; i++)
            loop.Step(i);
        var clock = Stopwatch.StartNew();
        for (var i = WarmupSteps; i < steps + WarmupSteps; i++)
            loop.Step(i);
        return clock.Elapsed.TotalSeconds / steps;
    }
}
