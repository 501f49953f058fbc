using PureHDF;
using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Tests.Storage;

public class HhShardMergeTests : IDisposable
{
    private const int Total = 23;
    private const ulong Seed = 8;
    private readonly string _folder = Directory.CreateTempSubdirectory("fvae-shards-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    /// <summary>Writes shard i/n of the seeded test dataset the way `simulate --shard i/n` does.</summary>
    private string WriteShard(int index, int count, SolverOptions? solver = null, ulong seed = Seed, int total = Total)
    {
        var shard = new DatasetShard(index, count, total);
        var cells = ParameterSampler.DrawRange(HhProtocol.Report, seed, shard.First, shard.Rows);
        var dataset = new HhDataset(HhProtocol.Report, cells, solver ?? SolverOptions.Default, seed, "seed", shard);
        DatasetGenerator.Simulate(dataset, threads: 1);
        var path = PathOf($"s{seed}-{index}of{count}-{total}-{dataset.Solver.RelativeTolerance}.h5");
        Hdf5DatasetWriter.Write(dataset, path);
        return path;
    }

    [Fact]
    public void Shards_are_contiguous_blocks_that_cover_every_row_once()
    {
        foreach (int total in new[] { 1, 2, 7, 23, 10_000 })
            for (int count = 1; count <= Math.Min(total, 12); count++)
            {
                var shards = Enumerable.Range(1, count).Select(i => new DatasetShard(i, count, total)).ToList();
                Assert.Equal(0, shards[0].First);
                for (int i = 1; i < count; i++)
                    Assert.Equal(shards[i - 1].First + shards[i - 1].Rows, shards[i].First);
                Assert.Equal(total, shards.Sum(s => s.Rows));
                Assert.InRange(shards.Max(s => s.Rows) - shards.Min(s => s.Rows), 0, 1);
                Assert.All(shards, s => Assert.True(s.Rows >= 1));
            }
        Assert.Throws<SimulationInputException>(() => new DatasetShard(3, 2, 10).Validate());
        Assert.Throws<SimulationInputException>(() => new DatasetShard(1, 11, 10).Validate());
    }

    [Fact]
    public void A_shard_holds_the_rows_and_split_of_the_whole_dataset()
    {
        var whole = DatasetGenerator.FromSeed(HhProtocol.Report, Total, Seed, SolverOptions.Default);
        // Shard 4/4 holds rows 17..22; the whole dataset trains on rows 0..17 (round(0.8 * 23) = 18).
        using var file = H5File.OpenRead(WriteShard(4, 4));
        Assert.Equal(whole.Scaled[(17 * 5000)..], file.Dataset(HhFileLayout.Traces).Read<float[]>());
        Assert.Equal(new byte[] { 0, 1, 1, 1, 1, 1 }, file.Dataset(HhFileLayout.Split).Read<byte[]>());
        Assert.Equal(18, file.Attribute(HhFileLayout.TrainCountAttribute).Read<int>());
        Assert.Equal(17, file.Attribute(HhFileLayout.ShardFirstRow).Read<int>());
        Assert.Equal(Total, file.Attribute(HhFileLayout.ShardTotal).Read<int>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Shards_merge_to_the_one_process_file_byte_for_byte(int count)
    {
        var one = PathOf("one.h5");
        Hdf5DatasetWriter.Write(DatasetGenerator.FromSeed(HhProtocol.Report, Total, Seed, SolverOptions.Default), one);
        var shards = Enumerable.Range(1, count).Select(i => WriteShard(i, count)).Reverse().ToList();
        var merged = PathOf("merged.h5");
        if (count == 1)
        {
            // One shard of one is the whole dataset, written as an ordinary file.
            Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(shards[0]));
            return;
        }
        var summary = HhShardMerge.Merge(shards, merged);
        Assert.Equal(new HhShardMerge.Summary(Total, count, 18, 5000), summary);

        using (var a = H5File.OpenRead(one))
        using (var b = H5File.OpenRead(merged))
        {
            void Same<T>(string name) where T : unmanaged =>
                Assert.True(a.Dataset(name).Read<T[]>().AsSpan().SequenceEqual(b.Dataset(name).Read<T[]>()), name);
            Same<float>(HhFileLayout.Traces);
            Same<double>(HhFileLayout.RawMin);
            Same<double>(HhFileLayout.RawMax);
            Same<double>(HhFileLayout.Parameters);
            Same<double>(HhFileLayout.Time);
            Same<byte>(HhFileLayout.Split);
            Same<int>(HhFileLayout.SpikeCount);
            Assert.Equal(a.Attributes().Select(x => x.Name), b.Attributes().Select(x => x.Name));
        }
        // The writer is deterministic, so the merged file is the one-process file to the last byte.
        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(merged));
        Assert.Equal(Total, HhFile.Read(merged).Count);
    }

    [Fact]
    public void A_shard_is_not_a_dataset_to_train_on()
    {
        var shard = WriteShard(1, 2);
        Assert.Contains("is shard 1/2 of a dataset", Assert.Throws<InvalidDataException>(() => HhFile.Read(shard)).Message);
        Assert.Contains("simulate merge", Assert.Throws<InvalidDataException>(() => HhFile.TrainCount(shard)).Message);
    }

    [Fact]
    public void Bad_sets_of_shards_are_refused_by_name_and_nothing_is_written()
    {
        var (s1, s2, s3) = (WriteShard(1, 3), WriteShard(2, 3), WriteShard(3, 3));
        var otherSeed = WriteShard(2, 3, seed: Seed + 1);
        var otherSolver = WriteShard(2, 3, SolverOptions.Default with { RelativeTolerance = 1e-6 });
        var otherSplit = WriteShard(2, 2);
        var otherTotal = WriteShard(2, 3, total: Total + 1);
        var whole = PathOf("whole.h5");
        Hdf5DatasetWriter.Write(DatasetGenerator.FromSeed(HhProtocol.Report, 3, Seed, SolverOptions.Default), whole);
        var existing = PathOf("existing.h5");
        File.WriteAllText(existing, "a file the user made");
        var before = Directory.GetFiles(_folder).Order().ToList();

        string Refused(string[] shards, string output) =>
            Assert.Throws<SimulationInputException>(() => HhShardMerge.Merge(shards, output)).Message;
        var output = PathOf("merged.h5");
        Assert.Contains("shard 3/3 missing", Refused([s1, s2], output));
        Assert.Contains("shards 1/3, 3/3 missing", Refused([s2], output));
        Assert.Contains("shard 2/3 is given twice", Refused([s1, s2, s2, s3], output));
        Assert.Contains("differ in seed (8 vs 9)", Refused([s1, otherSeed, s3], output));
        Assert.Contains("differ in rtol (1E-07 vs 1E-06)", Refused([s1, otherSolver, s3], output));
        Assert.Contains("merge the shards of one split", Refused([s1, otherSplit, s3], output));
        Assert.Contains("merge the shards of one split", Refused([s1, otherTotal, s3], output));
        Assert.Contains("is not a shard of a dataset", Refused([s1, whole], output));
        Assert.Contains("does not exist", Refused([s1, PathOf("absent.h5"), s3], output));
        Assert.Contains("already exists", Refused([s1, s2, s3], existing));
        Assert.Contains("give the shard files", Refused([], output));
        File.WriteAllText(PathOf("text.h5"), "not HDF5");
        Assert.Contains("is not a readable HH shard", Refused([s1, PathOf("text.h5")], output));

        Assert.Equal("a file the user made", File.ReadAllText(existing));
        Assert.Equal(before.Append(PathOf("text.h5")).Order(), Directory.GetFiles(_folder).Order());
    }
}
