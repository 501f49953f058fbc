using Vae.Runs;
using Vae.Model;
using static TorchSharp.torch;
using Vae.Runs.Experiments;

namespace Vae.Host.Benchmarks;

/// <summary>
/// A model of the study at a batch size, on synthetic data of the study's shapes held in memory: its FLOPs per
/// training step (from the layer shapes), its functional training loop and, where one exists, the hand-written
/// TorchSharp loop of the same model.
/// </summary>
public sealed class TrainWorkload
{
    private readonly Func<Tensor, int, bool, Generator, IStepLoop> _functional;
    private readonly Func<Tensor, Generator, IStepLoop>? _baseline;

    private TrainWorkload(string key, string name, int examples, int features, int batch, bool images, long flops,
        Func<Tensor, int, bool, Generator, IStepLoop> functional, Func<Tensor, Generator, IStepLoop>? baseline)
    {
        (Key, Name, Examples, Features, Batch, Images, FlopsPerStep) = (key, name, examples, features, batch, images, flops);
        (_functional, _baseline) = (functional, baseline);
    }

    /// <summary>The model's name among <see cref="Names"/>: with <see cref="Batch"/>, what <see cref="Create"/> takes to make it again.</summary>
    public string Key { get; }

    /// <summary>What is trained, e.g. "MLP-VAE 784-500-20".</summary>
    public string Name { get; }

    /// <summary>Training examples of the study's dataset (one epoch).</summary>
    public int Examples { get; }

    /// <summary>Features per example.</summary>
    public int Features { get; }

    /// <summary>Examples per step.</summary>
    public int Batch { get; }

    /// <summary>Binary images (else real-valued traces).</summary>
    public bool Images { get; }

    /// <summary>FLOPs of one training step, forward and backward, counted from the layer shapes.</summary>
    public long FlopsPerStep { get; }

    /// <summary>Whole batches per epoch.</summary>
    public int StepsPerEpoch => Examples / Batch;

    /// <summary>Whether a hand-written loop of this model exists.</summary>
    public bool HasBaseline => _baseline is not null;

    /// <summary>Synthetic data of the real shape: binary pixels (13% ones) or uniform trace values.</summary>
    public Tensor Data(Generator gen) => Images
        ? rand([Examples, Features], generator: gen).lt(0.13).to(float32)
        : rand([Examples, Features], generator: gen);

    /// <summary>The functional loop over <paramref name="totalSteps"/> steps, initialized from <paramref name="gen"/>.</summary>
    public IStepLoop Functional(Tensor data, int totalSteps, bool inPlace, Generator gen) => _functional(data, totalSteps, inPlace, gen);

    /// <summary>The hand-written loop, initialized from <paramref name="gen"/> (which it owns).</summary>
    public IStepLoop Baseline(Tensor data, Generator gen) =>
        _baseline is null ? throw new InvalidOperationException($"{Name} has no hand-written loop") : _baseline(data, gen);

    /// <summary>The names <see cref="Create"/> accepts; "all" is every workload of the study's goals.</summary>
    public static readonly string[] Names = [MlpKey, Conv2dKey, TraceKey, ReferenceKey, ResConvKey, AllKey];

    private const string MlpKey = "mlp", Conv2dKey = "conv2d", TraceKey = "conv1d-default", ReferenceKey = "conv1d", ResConvKey = "resconv",
        AllKey = "all";

    /// <summary>
    /// The workloads of <paramref name="model"/>: mlp (batch 128), conv2d (MNIST Conv-VAE, batch 64),
    /// conv1d-default (the product's trace Conv-VAE, batch 64), conv1d (the reference trace shape k3 s2, latent 16,
    /// batch 64), resconv (the residual trace VAE, batch 64), or all (mlp, conv2d and conv1d-default at batches 64 and 16,
    /// the paper's); a batch replaces the default.
    /// </summary>
    public static List<TrainWorkload> Create(string model, int? batch)
    {
        var workloads = Choose(model, batch);
        if (workloads.FirstOrDefault(w => w.StepsPerEpoch == 0) is { } small)
            throw new UserInputException($"--batch {batch} is larger than the {small.Examples} examples of {small.Name}; "
                + $"give at most {small.Examples}.");
        return workloads;
    }

    private static List<TrainWorkload> Choose(string model, int? batch) => model switch
    {
        MlpKey => [Mlp(batch ?? 128)],
        Conv2dKey => [Conv2d(batch ?? 64)],
        TraceKey => [TraceConv(batch ?? 64)],
        ReferenceKey => [TraceReference(batch ?? 64)],
        ResConvKey => [TraceResConv(batch ?? 64)],
        AllKey => batch is int b ? [Mlp(b), Conv2d(b), TraceConv(b)] : [Mlp(128), Conv2d(64), TraceConv(64), TraceConv(16)],
        _ => throw new ArgumentException($"unknown bench-train model '{model}'"),
    };

    private const int MnistTrain = 24_754, TraceTrain = 8_000, TraceLength = 5_000;

    private static TrainWorkload Mlp(int batch) =>
        Of(MlpKey, "MLP-VAE 784-500-20", MnistTrain, 784, batch, true, VaeModel.Dense(DenseVae.mlpDefault),
            (data, g) => new BaselineLoop(BenchTrainBaseline.Mlp(784, 500, 20, g), data, batch));

    private static TrainWorkload Conv2d(int batch) =>
        Of(Conv2dKey, "MNIST Conv-VAE (Conv2d)", MnistTrain, 784, batch, true, VaeModel.Conv2d(ConvVae2d.defaultConfig), null);

    private static TrainWorkload TraceConv(int batch) =>
        Of(TraceKey, "trace Conv-VAE (product default)", TraceTrain, TraceLength, batch, false, VaeModel.Conv1d(ConvVae1d.defaultConfig), null);

    private static TrainWorkload TraceResConv(int batch) =>
        Of(ResConvKey, "residual trace VAE (ResConvVae1d default)", TraceTrain, TraceLength, batch, false,
            VaeModel.ResConv1d(ResConvVae1d.defaultConfig), null);

    private static TrainWorkload TraceReference(int batch) =>
        Of(ReferenceKey, "trace Conv-VAE (reference k3 s2, 2x16)", TraceTrain, TraceLength, batch, false,
            VaeModel.Conv1d(ConvVae1d.withLatent(16, ConvVae1d.referenceConfig)),
            (data, g) => new BaselineLoop(BenchTrainBaseline.Conv1dReference(TraceLength, 16, g), data, batch));

    // The functional loop: the study's optimizer over the run's steps, KL weight 1, noise from its own seed.
    private static TrainWorkload Of(string key, string name, int examples, int features, int batch, bool images, VaeModel model,
        Func<Tensor, Generator, IStepLoop>? baseline) =>
        new(key, name, examples, features, batch, images, model.TrainingFlops(batch),
            (data, total, inPlace, g) => new FunctionalLoop(model.StartTraining(Training.studyOptimizer(total), 1.0, g), data, batch, inPlace,
                new Generator(2)),
            baseline);

    private sealed class BaselineLoop(BenchTrainBaseline model, Tensor data, int batch) : IStepLoop
    {
        public double Step(int i)
        {
            using var x = SyntheticBatches.At(data, i, batch);
            return model.Step(x);
        }

        public void Dispose() => model.Dispose();
    }
}
