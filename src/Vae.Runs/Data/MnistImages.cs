using static TorchSharp.torch;
using Vae.Runs.Settings;

namespace Vae.Runs.Data;

/// <summary>
/// Binarized MNIST as a run's model input: the standard train/test split of the digits kept, each image flat
/// [side*side] with pixels 0 or 1 (<see cref="MnistDataset"/>), with its digit label. The splits are held in memory.
/// </summary>
public sealed class MnistImages : TrainingData
{
    /// <summary>Images [n, side*side] of both splits with their labels, described by <paramref name="identity"/>.</summary>
    public MnistImages(Tensor train, Tensor test, int imageSide, int[] trainLabels, int[] testLabels, string identity)
        : base(new InMemoryRows(train), new InMemoryRows(test), identity) =>
        (ImageSide, TrainLabels, TestLabels) = (imageSide, trainLabels, testLabels);

    /// <summary>Image side in pixels.</summary>
    public int ImageSide { get; }
    /// <summary>Digit label of each training image.</summary>
    public int[] TrainLabels { get; }
    /// <summary>Digit label of each test image.</summary>
    public int[] TestLabels { get; }

    /// <inheritdoc/>
    public override DataKind Kind => DataKind.Images;
    /// <inheritdoc/>
    public override RecordedData Recorded => RecordedData.None; // the files are verified by SHA-256 when fetched
    /// <inheritdoc/>
    public override string ExampleKind => "images";

    /// <summary>The digits and binarization a config asks for, fetched into the cache when needed.</summary>
    public static MnistImages Load(TrainConfig cfg, string dataRoot, string? mnistDir, Action<string> log)
    {
        var folder = MnistFetcher.Standard(log).Ensure(dataRoot, mnistDir);
        var data = MnistDataset.Load(folder, cfg.Digits, cfg.Threshold);
        if (data.Train.Rows != data.Train.Cols)
            throw new InvalidDataException($"MNIST images must be square, got {data.Train.Rows}x{data.Train.Cols}");
        static Tensor ToTensor(MnistSplit s) => tensor(s.Pixels, [s.Count, s.Size], ScalarType.Float32);
        static int[] Labels(MnistSplit s) => s.Labels.Select(l => (int)l).ToArray();
        return new MnistImages(ToTensor(data.Train), ToTensor(data.Test), data.Train.Rows, Labels(data.Train), Labels(data.Test),
            $"mnist digits {string.Join(",", cfg.Digits)}, threshold {cfg.Threshold}, {folder} (SHA-256 verified)");
    }
}
