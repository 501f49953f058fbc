using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Tests.Datasets;

public sealed class DatasetFileGeneratorTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-datasetfile-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    private static HhDatasetSpec Spec(int count, ulong seed = 5) =>
        new(HhProtocol.Report, ParameterSampler.DrawMany(HhProtocol.Report, seed, count), SolverOptions.Default, seed, "seed",
            DatasetShard.Whole(count));

    [Fact]
    public void A_file_written_a_block_at_a_time_is_the_in_memory_file_byte_for_byte()
    {
        string streamed = Path.Combine(_tmp, "streamed.h5"), whole = Path.Combine(_tmp, "whole.h5");
        var done = new List<int>();
        var written = DatasetFileGenerator.Write(Spec(23), streamed, threads: 2, progress: k => { lock (done) done.Add(k); }, blockRows: 7);
        var dataset = DatasetGenerator.FromSeed(HhProtocol.Report, 23, 5, SolverOptions.Default, threads: 1);
        Hdf5DatasetWriter.Write(dataset, whole);

        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(streamed));
        Assert.Equal(dataset.SpikeCounts, written.SpikeCounts);
        Assert.Equal(dataset.Statistics.RhsEvaluations, written.Statistics.RhsEvaluations);
        var read = HhFile.Read(streamed);
        Assert.Equal(written.ContentHash, read.ContentHash);
        Assert.Equal(dataset.Scaled, read.Traces);
        Assert.Equal(23, done.Max());
        Assert.Equal([streamed, whole], Directory.GetFiles(_tmp).Order());
    }

    [Fact]
    public void A_cancelled_write_leaves_no_file_and_no_temporary()
    {
        using var cancel = new CancellationTokenSource();
        string path = Path.Combine(_tmp, "cancelled.h5");
        // Cancelled once the first block of 4 is done: the file is half written when the cancellation comes.
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DatasetFileGenerator.Write(Spec(12), path, threads: 1, progress: k => { if (k >= 4) cancel.Cancel(); }, cancel: cancel.Token,
                blockRows: 4));
        Assert.Empty(Directory.GetFiles(_tmp));
    }

    [Fact]
    public void An_existing_file_is_kept_unless_replacing_is_asked_for()
    {
        string path = Path.Combine(_tmp, "kept.h5");
        File.WriteAllText(path, "mine");
        Assert.ThrowsAny<Exception>(() => DatasetFileGenerator.Write(Spec(3), path, threads: 1, replace: false));
        Assert.Equal("mine", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_tmp));
    }

    [Fact]
    public void A_file_larger_than_the_free_space_is_refused_before_any_work()
    {
        var e = Assert.Throws<SimulationInputException>(() => DiskSpace.Require(Path.Combine(_tmp, "huge.h5"), long.MaxValue / 2));
        Assert.Contains("huge.h5", e.Message);
        Assert.Contains("free space or write it elsewhere", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_full_disk_during_the_write_is_one_line_naming_the_file_and_leaves_nothing()
    {
        string path = Path.Combine(_tmp, "full.h5");
        using var pending = AtomicFile.Begin(path);
        File.WriteAllText(pending.TempPath, "partial");
        // ENOSPC as .NET reports it on Linux: an IOException whose HResult is the errno.
        var e = Assert.Throws<SimulationInputException>(() => pending.Run(() => throw new IOException("No space left on device", 28)));
        Assert.Equal($"cannot write '{path}': the disk is full; {DiskFull.Remedy}.", e.Message);
        pending.Dispose();
        Assert.Empty(Directory.GetFiles(_tmp));
    }

    [Fact]
    public void A_writer_disposed_before_every_row_is_written_leaves_nothing()
    {
        string path = Path.Combine(_tmp, "incomplete.h5");
        using (var writer = new HhFileWriter(path, 3, [0.0, 0.01], [("protocol", "report")]))
        {
            writer.WriteRows(new float[4], 0, 2);
            Assert.Throws<InvalidOperationException>(() => writer.Complete(new double[3], new double[3], new double[6], new byte[3], new int[3]));
        }
        Assert.Empty(Directory.GetFiles(_tmp));
    }
}
