using Vae.Runs.Settings;
namespace Vae.Runs.Data;

/// <summary>Binarized images (0 or 1, row-major, <c>Rows*Cols</c> per image) with their digit labels.</summary>
public sealed record MnistSplit(float[] Pixels, byte[] Labels, int Rows, int Cols)
{
    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;
    /// <summary>Pixels per image.</summary>
    public int Size => Rows * Cols;
}

/// <summary>The standard MNIST train/test split, filtered and binarized.</summary>
public sealed record MnistData(MnistSplit Train, MnistSplit Test);

/// <summary>Loads binarized MNIST from a folder of verified IDX files (see <see cref="MnistFetcher"/>).</summary>
public static class MnistDataset
{
    /// <summary>Loads both splits keeping only <paramref name="digits"/>, with pixel &gt;= <paramref name="threshold"/> as 1.</summary>
    public static MnistData Load(string folder, IReadOnlyCollection<int> digits, int threshold = TrainConfig.ReportMnistThreshold)
    {
        if (threshold is < 1 or > 255)
            throw new ArgumentOutOfRangeException(nameof(threshold), $"binarization threshold must be in 1..255, got {threshold}");
        if (digits.Count == 0 || digits.Any(d => d is < 0 or > 9))
            throw new ArgumentException("digits must be a non-empty subset of 0..9", nameof(digits));
        return new MnistData(
            LoadSplit(folder, MnistFiles.TrainImages, MnistFiles.TrainLabels, digits, threshold),
            LoadSplit(folder, MnistFiles.TestImages, MnistFiles.TestLabels, digits, threshold));
    }

    private static MnistSplit LoadSplit(string folder, MnistFile imagesFile, MnistFile labelsFile, IReadOnlyCollection<int> digits, int threshold)
    {
        var images = Idx.ParseImages(Idx.ReadBytes(Path.Combine(folder, imagesFile.Name)), imagesFile.Name);
        var labels = Idx.ParseLabels(Idx.ReadBytes(Path.Combine(folder, labelsFile.Name)), labelsFile.Name);
        if (labels.Length != images.Count)
            throw new InvalidDataException($"{labelsFile.Name} has {labels.Length} labels but {imagesFile.Name} has {images.Count} images");
        var keep = Enumerable.Range(0, labels.Length).Where(i => digits.Contains(labels[i])).ToArray();
        var size = images.Rows * images.Cols;
        var pixels = new float[keep.Length * size];
        for (var k = 0; k < keep.Length; k++)
        {
            var src = images.Pixels.AsSpan(keep[k] * size, size);
            var dst = pixels.AsSpan(k * size, size);
            for (var p = 0; p < size; p++)
                dst[p] = src[p] >= threshold ? 1f : 0f;
        }
        return new MnistSplit(pixels, keep.Select(i => labels[i]).ToArray(), images.Rows, images.Cols);
    }
}
