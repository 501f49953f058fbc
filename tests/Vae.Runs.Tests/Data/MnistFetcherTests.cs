using Vae.Runs;
using Vae.Runs.Data;

namespace Vae.Runs.Tests.Data;

/// <summary>The fetcher and loader on a synthetic four-file "MNIST" with its own hashes (no network).</summary>
public sealed class MnistFetcherTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fvae-mnist-").FullName;
    private string UserDir => Path.Combine(_root, "user");
    private string DataDir => Path.Combine(_root, "data");

    private readonly Dictionary<string, byte[]> _files = new()
    {
        [MnistFiles.TrainImages.Name] = IdxFixtures.Images(4, 2, 2, i => (byte)(i * 20)),
        [MnistFiles.TrainLabels.Name] = IdxFixtures.Labels(0, 5, 3, 1),
        [MnistFiles.TestImages.Name] = IdxFixtures.Images(2, 2, 2, i => (byte)(255 - i * 30)),
        [MnistFiles.TestLabels.Name] = IdxFixtures.Labels(9, 2),
    };

    private MnistFetcher Fetcher(List<string> log) =>
        new(_files.Select(kv => new MnistFile(kv.Key, MnistFetcher.Sha256Of(kv.Value))).ToList(), log.Add);

    public MnistFetcherTests()
    {
        Directory.CreateDirectory(UserDir);
        foreach (var (name, bytes) in _files)
            File.WriteAllBytes(Path.Combine(UserDir, name == MnistFiles.TestImages.Name ? name + ".gz" : name),
                name == MnistFiles.TestImages.Name ? IdxFixtures.Gzip(bytes) : bytes);
    }

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void Copies_verified_files_from_the_user_folder_into_the_cache_then_uses_the_cache()
    {
        var folder = Fetcher([]).Ensure(DataDir, UserDir);
        Assert.Equal(Path.Combine(DataDir, "mnist"), folder);
        foreach (var (name, bytes) in _files)
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(folder, name)));
        Directory.Delete(UserDir, true);
        Assert.Equal(folder, Fetcher([]).Ensure(DataDir, null));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void A_modified_user_file_is_refused_by_its_hash()
    {
        var path = Path.Combine(UserDir, MnistFiles.TrainLabels.Name);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Fetcher([]).Ensure(DataDir, UserDir));
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void Without_any_source_the_error_says_what_to_download_and_where()
    {
        var e = Assert.Throws<UserInputException>(() => Fetcher([]).Ensure(DataDir, null));
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
        Assert.IsType<Remedy.GiveMnistFolder>(Assert.Single(e.Remedies));
        Assert.Contains("as the MNIST folder", e.Message);
    }

    [Fact]
    public void Loads_filters_digits_and_binarizes_at_the_threshold()
    {
        var folder = Fetcher([]).Ensure(DataDir, UserDir);
        var data = MnistDataset.Load(folder, [0, 1, 2, 3], threshold: 127);
        Assert.Equal(new byte[] { 0, 3, 1 }, data.Train.Labels);
        Assert.Equal(new byte[] { 2 }, data.Test.Labels);
        // Train image 2 (label 3) has raw pixels 160, 180, 200, 220 -> all >= 127.
        Assert.Equal(new[] { 1f, 1f, 1f, 1f }, data.Train.Pixels[4..8]);
        // Train image 0 (label 0): 0, 20, 40, 60 -> all 0.
        Assert.Equal(new[] { 0f, 0f, 0f, 0f }, data.Train.Pixels[..4]);
        // Test image 1 (label 2): 255-120=135, 105, 75, 45 -> 1, 0, 0, 0.
        Assert.Equal(new[] { 1f, 0f, 0f, 0f }, data.Test.Pixels);
        var at136 = MnistDataset.Load(folder, [2], threshold: 136);
        Assert.Equal(new[] { 0f, 0f, 0f, 0f }, at136.Test.Pixels);
    }

    [Fact]
    public void Mismatched_label_and_image_counts_are_refused()
    {
        var folder = Fetcher([]).Ensure(DataDir, UserDir);
        File.WriteAllBytes(Path.Combine(folder, MnistFiles.TestLabels.Name), IdxFixtures.Labels(1, 2, 3));
        Assert.Throws<InvalidDataException>(() => MnistDataset.Load(folder, [0, 1, 2, 3]));
    }
}
