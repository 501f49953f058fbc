using System.Text;
using Vae.Host.Cli;
using Vae.Runs.Persistence;
using Vae.Runs.Tracking;
using Vae.Runs.Training;
using Vae.Runs.Metrics;

namespace Vae.Host.Tests.Tracking;

/// <summary>The event files a training run writes into its tensorboard/ folder, read back byte by byte.</summary>
public sealed class TensorBoardTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-tb-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    // Each value of an epoch's metrics as metrics.csv holds it and the tag it must appear under.
    private static readonly (string Tag, Func<EpochMetrics, double> Value)[] Scalars =
    [
        ("epoch", m => m.Epoch),
        ("learning_rate", m => m.LearningRate),
        ("time/epoch_seconds", m => m.Seconds),
        ("loss/train", m => m.Train.Loss),
        ("reconstruction/train", m => m.Train.Recon),
        ("kl/train", m => m.Train.Kl),
        ("loss/test", m => m.Test.Loss),
        ("reconstruction/test", m => m.Test.Recon),
        ("kl/test", m => m.Test.Kl),
        ("loss/test_elbo_beta1", m => m.Test.ElboBeta1),
        ("reconstruction/test_per_feature", m => m.Test.ReconPerFeature),
        ("kl_per_dimension/z0", m => m.Test.KlPerDimension[0]),
        ("kl_per_dimension/z1", m => m.Test.KlPerDimension[1]),
    ];

    private static readonly string[] StepTimes = ["time/step_ms_p10", "time/step_ms_p50", "time/step_ms_p90", "time/step_ms_max"];

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

    [Fact]
    public void The_sink_writes_each_value_of_the_record_step_times_included()
    {
        var metrics = EpochMetrics.Of(1, 7, 1e-3, 2.5, (Loss: 14, Recon: 7, Kl: 3.5), batches: 7,
            new Vae.Model.Losses.Metrics(5, 4, 1, [0.25, 0.75]), features: 10) with
        {
            StepTimes = new StepTimePercentiles(40, 45, 52, 80),
        };
        var sink = new Vae.Runs.Tracking.TensorBoardProgress(Path.Combine(_tmp, "sink", "tensorboard"));
        sink.EpochStarted(1, 1, 7);
        sink.EpochDone(1, 1, metrics);
        var values = Values(Path.Combine(_tmp, "sink"), files: 1);
        Assert.All(values, v => Assert.Equal(7, v.Step));
        var expected = Scalars.Select(s => (s.Tag, (float)s.Value(metrics)))
            .Concat(StepTimes.Zip(new float[] { 40, 45, 52, 80 }));
        Assert.Equal(expected.Order(), values.Select(v => (v.Tag, v.Scalar!.Value)).Order());
    }

    [Fact]
    public void Crc32C_matches_its_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Of(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32C.Of([]));
    }
}
