using Vae.Host.Cli;
using Vae.Runs.Persistence;
using Vae.Runs.Tracking;
using Vae.Runs.Training;
using static Vae.TestSupport.TensorBoardTags;

namespace Vae.Host.Tests.Tracking;

/// <summary>The event files a training run writes into its tensorboard/ folder, read back byte by byte (the sink itself:
/// Vae.Runs.Tests' TensorBoardProgressTests).</summary>
public sealed class TensorBoardTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-tb-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    private (int Code, string Err) Train(params string[] extra)
    {
        // A resumed run takes its settings from its folder.
        string[] settings = extra.Contains("--resume") ? [] : ["--hh-count", "20", "--epochs", "2", "--batch-size", "8", "--latent-dim", "2"];
        var (code, _, err) = CliRunner.Run([.. settings, "--threads", "1", "--no-analysis", "--quiet", "--data-dir", Path.Combine(_tmp, "data"),
            .. extra]);
        return (code, err);
    }

    private static List<EventValue> Values(string run, int files)
    {
        var paths = Directory.GetFiles(Path.Combine(run, "tensorboard")).Order().ToArray();
        Assert.Equal(files, paths.Length);
        Assert.All(paths, p => Assert.StartsWith("events.out.tfevents.", Path.GetFileName(p)));
        var values = new List<EventValue>();
        foreach (var path in paths)
        {
            var (version, read) = EventFile.Read(path);
            Assert.Equal("brain.Event:2", version);
            values.AddRange(read);
        }
        return values;
    }

    // Every metrics.csv value is the scalar of its tag at the epoch's step, as float32.
    private static void AssertScalarsAreTheMetrics(string run, List<EventValue> values)
    {
        var metrics = MetricsTable.Parse(File.ReadAllText(Path.Combine(run, "metrics.csv")));
        Assert.Equal(2, metrics.LatentDim);
        foreach (var epoch in metrics.Epochs)
            foreach (var (tag, value) in Scalars)
            {
                var written = Assert.Single(values, v => v.Tag == tag && v.Step == epoch.Step);
                Assert.True((float)value(epoch) == written.Scalar,
                    $"{tag} at step {epoch.Step}: {written.Scalar} in the event file, {value(epoch)} in metrics.csv");
            }
    }

    [Fact]
    public void A_run_writes_its_metrics_as_scalars_and_its_latent_means_as_histograms()
    {
        var run = Path.Combine(_tmp, "run");
        var (code, err) = Train("--out", run);
        Assert.True(code == ExitCodes.Ok, err);
        var values = Values(run, files: 1);
        AssertScalarsAreTheMetrics(run, values);
        // 20 traces: 16 for training, 2 batches of 8 per epoch, so steps 1 to 4.
        Assert.Equal([1L, 2, 3, 4], values.Where(v => v.Tag == "loss/batch").Select(v => v.Step));
        Assert.All(values.Where(v => v.Tag == "loss/batch"), v => Assert.True(float.IsFinite(v.Scalar!.Value)));
        foreach (var tag in StepTimes)
            Assert.Equal([2L, 4], values.Where(v => v.Tag == tag).Select(v => v.Step));
        foreach (var tag in new[] { "latent_mean/z0", "latent_mean/z1" })
            Assert.Equal([2L, 4], values.Where(v => v.Tag == tag && v.Histogram).Select(v => v.Step));
        // The reconstructions as a PNG per epoch, and no image file left beside the event file.
        var images = values.Where(v => v.Tag == TensorBoardProgress.ReconstructionsTag).ToList();
        Assert.Equal([2L, 4], images.Select(v => v.Step));
        Assert.All(images, v => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, v.Image![..4]));
        Assert.Single(Directory.GetFiles(Path.Combine(run, "tensorboard"), "*", SearchOption.AllDirectories));
        var tags = values.Select(v => v.Tag).ToHashSet();
        Assert.Equal(Scalars.Select(s => s.Tag).Concat(StepTimes)
            .Concat(["loss/batch", "latent_mean/z0", "latent_mean/z1", TensorBoardProgress.ReconstructionsTag]).Order(), tags.Order());
        // Wall times are seconds since the Unix epoch.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.All(values, v => Assert.InRange(v.WallTime, now - 3600, now + 60));
        // The reader checks the CRCs: a flipped byte in the last record's data is refused.
        var file = Directory.GetFiles(Path.Combine(run, "tensorboard"))[0];
        var bytes = File.ReadAllBytes(file);
        bytes[^5] ^= 1;
        File.WriteAllBytes(file, bytes);
        Assert.Contains("bad data CRC", Assert.Throws<InvalidDataException>(() => EventFile.Read(file)).Message);
    }

    [Fact]
    public void No_tensorboard_leaves_no_folder_and_the_same_metrics()
    {
        var (with, without) = (Path.Combine(_tmp, "with"), Path.Combine(_tmp, "without"));
        Assert.Equal(ExitCodes.Ok, Train("--out", with).Code);
        var (code, err) = Train("--out", without, "--no-tensorboard");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.False(Directory.Exists(Path.Combine(without, "tensorboard")));
        Assert.True(File.Exists(Path.Combine(without, "model.safetensors")));
        // The sink only observes: every metric but the epoch's seconds is bit-identical.
        static string[] WithoutSeconds(string run) => File.ReadAllLines(Path.Combine(run, "metrics.csv"))
            .Select(line => string.Join(",", line.Split(',').Where((_, i) => i != 3))).ToArray();
        Assert.Equal(WithoutSeconds(with), WithoutSeconds(without));
    }

    [Fact]
    public void A_resumed_run_adds_an_event_file_beside_the_first()
    {
        var run = Path.Combine(_tmp, "split");
        Assert.Equal(ExitCodes.Ok, Train("--out", run, "--stop-after", "1").Code);
        Assert.Single(Directory.GetFiles(Path.Combine(run, "tensorboard")));
        var (code, err) = Train("--resume", run);
        Assert.True(code == ExitCodes.Ok, err);
        var values = Values(run, files: 2);
        AssertScalarsAreTheMetrics(run, values);
        Assert.Equal([1L, 2, 3, 4], values.Where(v => v.Tag == "loss/batch").Select(v => v.Step).Order());
    }
}
