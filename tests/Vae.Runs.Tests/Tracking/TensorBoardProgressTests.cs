using System.Text;
using Vae.Runs.Metrics;
using Vae.Runs.Tracking;
using static Vae.TestSupport.TensorBoardTags;

namespace Vae.Runs.Tests.Tracking;

/// <summary>The TensorBoard sink's event file, read back byte by byte (a run's event files through the command line:
/// Vae.Host.Tests' TensorBoardTests).</summary>
public sealed class TensorBoardProgressTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-tb-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

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

    [Fact]
    public void The_sink_writes_each_value_of_the_record_step_times_included()
    {
        // TorchSharp's SummaryWriter computes its CRCs in libtorch's native library.
        TestTorch.Ensure();
        var metrics = EpochMetrics.Of(1, 7, 1e-3, 2.5, (Loss: 14, Recon: 7, Kl: 3.5), batches: 7,
            new Vae.Model.Losses.Metrics(5, 4, 1, [0.25, 0.75]), features: 10) with
        {
            StepTimes = new StepTimePercentiles(40, 45, 52, 80),
        };
        var sink = new TensorBoardProgress(Path.Combine(_tmp, "sink", "tensorboard"));
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
