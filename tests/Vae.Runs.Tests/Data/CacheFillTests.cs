using Vae.Runs.Data;
using Vae.Simulation.Storage;

namespace Vae.Runs.Tests.Data;

/// <summary>Caches filled by several processes (here threads: the lock tells holders apart by token) at once.</summary>
public sealed class CacheFillTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fvae-cache-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    private static void Together(int n, Action<int> work)
    {
        using var start = new Barrier(n);
        var errors = new Exception?[n];
        var threads = Enumerable.Range(0, n).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            try { work(i); }
            catch (Exception e) { errors[i] = e; }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(errors, e => Assert.Null(e));
    }

    [Fact]
    public void Concurrent_fills_of_one_HH_dataset_simulate_it_once_into_one_intact_file()
    {
        var shared = Path.Combine(_root, "shared");
        var logs = Enumerable.Range(0, 4).Select(_ => new List<string>()).ToArray();
        var paths = new string[4];
        Together(4, i => paths[i] = HhCache.Ensure(shared, "report", 3, 24, 1, logs[i].Add));

        Assert.Single(paths.Distinct());
        Assert.Equal(1, logs.Sum(l => l.Count(m => m.StartsWith("simulating", StringComparison.Ordinal))));
        var alone = HhCache.Ensure(Path.Combine(_root, "alone"), "report", 3, 24, 1, _ => { });
        var (a, b) = (HhFile.Read(paths[0]), HhFile.Read(alone));
        Assert.Equal(b.Traces, a.Traces);
        Assert.Equal(b.Split, a.Split);
        Assert.Equal(["report-seed3-n24.h5"], Directory.GetFiles(Path.GetDirectoryName(paths[0])!).Select(Path.GetFileName));
    }

    [Fact]
    public void Concurrent_MNIST_fills_leave_every_file_verified_and_no_temporary_or_lock_file()
    {
        var files = new Dictionary<string, byte[]>
        {
            [MnistFiles.TrainImages.Name] = IdxFixtures.Images(40, 4, 4, i => (byte)(i * 7)),
            [MnistFiles.TrainLabels.Name] = IdxFixtures.Labels([.. Enumerable.Range(0, 40).Select(i => (byte)(i % 10))]),
            [MnistFiles.TestImages.Name] = IdxFixtures.Images(10, 4, 4, i => (byte)(255 - i)),
            [MnistFiles.TestLabels.Name] = IdxFixtures.Labels([.. Enumerable.Range(0, 10).Select(i => (byte)i)]),
        };
        var user = Directory.CreateDirectory(Path.Combine(_root, "user")).FullName;
        foreach (var (name, bytes) in files)
            File.WriteAllBytes(Path.Combine(user, name), bytes);
        var list = files.Select(kv => new MnistFile(kv.Key, MnistFetcher.Sha256Of(kv.Value))).ToList();
        var data = Path.Combine(_root, "data");

        Together(6, _ => new MnistFetcher(list, _ => { }).Ensure(data, user));

        var folder = Path.Combine(data, "mnist");
        Assert.Empty(new MnistFetcher(list, _ => { }).Missing(folder));
        Assert.Equal(files.Keys.Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }
}
