using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Noise;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Tests.Datasets;

/// <summary>
/// Noisy datasets: a trace's noise depends only on (noise seed, dataset row), so threads, blocks and shards do not
/// change a file; the noise is in the recorded mV (raw min/max included), in the attributes and in the content hash.
/// </summary>
public class NoisyDatasetTests : IDisposable
{
    private const int Count = 11;
    private static readonly HhNoise Measurement = new(2.0, 0, 0, 0, 0.01, 42);
    private static readonly HhNoise Intrinsic = new(0.5, 0.2, 1.0, 0, 0.01, 42);
    private readonly string _folder = Directory.CreateTempSubdirectory("fvae-noisy-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static HhDatasetSpec Spec(HhNoise noise, DatasetShard? shard = null)
    {
        var part = shard ?? DatasetShard.Whole(Count);
        var cells = ParameterSampler.DrawRange(HhProtocol.Report, 1, part.First, part.Rows);
        return new HhDatasetSpec(HhProtocol.Report, cells, SolverOptions.Default, 1, "seed", part) { Noise = noise };
    }

    public static TheoryData<string> Noises => new() { "measurement", "intrinsic" };

    private static HhNoise Named(string name) => name == "measurement" ? Measurement : Intrinsic;

    [Theory]
    [MemberData(nameof(Noises))]
    public void Threads_blocks_and_shards_do_not_change_the_file(string name)
    {
        var noise = Named(name);
        var inMemory = DatasetGenerator.FromSeed(HhProtocol.Report, Count, 1, SolverOptions.Default, threads: 1, noise: noise);
        Hdf5DatasetWriter.Write(inMemory, PathOf("memory.h5"));
        DatasetFileGenerator.Write(Spec(noise), PathOf("blocks.h5"), threads: 2, blockRows: 3);
        Assert.Equal(File.ReadAllBytes(PathOf("memory.h5")), File.ReadAllBytes(PathOf("blocks.h5")));

        var shards = Enumerable.Range(1, 3).Select(i =>
        {
            var path = PathOf($"shard-{i}.h5");
            DatasetFileGenerator.Write(Spec(noise, new DatasetShard(i, 3, Count)), path, threads: 2, blockRows: 2);
            return path;
        }).ToList();
        HhShardMerge.Merge(shards, PathOf("merged.h5"));
        Assert.Equal(File.ReadAllBytes(PathOf("memory.h5")), File.ReadAllBytes(PathOf("merged.h5")));
    }

    [Theory]
    [MemberData(nameof(Noises))]
    public void The_file_says_which_noise_made_it_and_hashes_it(string name)
    {
        var noise = Named(name);
        var written = DatasetFileGenerator.Write(Spec(noise), PathOf("noisy.h5"));
        var file = HhFile.Read(PathOf("noisy.h5"));
        Assert.Equal(noise, file.Noise);
        Assert.Equal(written.ContentHash, file.ContentHash);
        using (var streamed = HhStreamedFile.Open(PathOf("noisy.h5")))
            Assert.Equal((noise, written.ContentHash), (streamed.Noise, streamed.ContentHash));
        // The same arrays without the noise attributes would hash differently: the noise is part of the identity.
        Assert.NotEqual(HhContentHash.Of(file.Count, file.Length, file.Traces, file.RawMin, file.RawMax, file.Parameters, file.Split),
            file.ContentHash);
        DatasetFileGenerator.Write(Spec(HhNoise.None), PathOf("clean.h5"));
        Assert.Equal(HhNoise.None, HhFile.Read(PathOf("clean.h5")).Noise);
    }

    [Fact]
    public void Measurement_noise_is_in_the_recorded_millivolts_with_the_requested_sigma()
    {
        var noisy = DatasetGenerator.FromSeed(HhProtocol.Report, 4, 1, SolverOptions.Default, noise: Measurement);
        var clean = DatasetGenerator.FromSeed(HhProtocol.Report, 4, 1, SolverOptions.Default);
        var residuals = Enumerable.Range(0, 4).SelectMany(i => noisy.RawTrace(i).Zip(clean.RawTrace(i), (a, b) => a - b)).ToArray();
        double sd = Math.Sqrt(residuals.Average(r => r * r));
        // 20,000 residuals: standard error of the sd about 0.5 %; float32 storage adds about 1e-5 mV.
        Assert.InRange(sd, 2.0 * 0.97, 2.0 * 1.03);
        Assert.All(Enumerable.Range(0, 4), i => Assert.True(noisy.RawMax[i] > clean.RawMax[i] && noisy.RawMin[i] < clean.RawMin[i]));
        Assert.Equal(clean.SpikeCounts, noisy.SpikeCounts);
    }

    [Fact]
    public void Intrinsic_noise_changes_the_trace_and_the_noise_seed_chooses_it()
    {
        var a = DatasetGenerator.FromSeed(HhProtocol.Report, 3, 1, SolverOptions.Default, noise: Intrinsic with { MeasurementSigmaMv = 0 });
        var b = DatasetGenerator.FromSeed(HhProtocol.Report, 3, 1, SolverOptions.Default, noise: Intrinsic with { MeasurementSigmaMv = 0 });
        var c = DatasetGenerator.FromSeed(HhProtocol.Report, 3, 1, SolverOptions.Default,
            noise: Intrinsic with { MeasurementSigmaMv = 0, Seed = 7 });
        Assert.Equal(a.Scaled, b.Scaled);
        Assert.NotEqual(a.Scaled, c.Scaled);
        // 200 ms to the first sample and 4,999 sample intervals of one 0.01 ms step each.
        Assert.Equal(24_999, a.Statistics.AcceptedSteps / 3);
        Assert.All(a.SpikeCounts, s => Assert.InRange(s, 1, 10));
    }

    [Fact]
    public void Merge_refuses_shards_with_different_noise()
    {
        DatasetFileGenerator.Write(Spec(Measurement, new DatasetShard(1, 2, Count)), PathOf("a.h5"));
        DatasetFileGenerator.Write(Spec(Measurement with { MeasurementSigmaMv = 3 }, new DatasetShard(2, 2, Count)), PathOf("b.h5"));
        DatasetFileGenerator.Write(Spec(HhNoise.None, new DatasetShard(2, 2, Count)), PathOf("c.h5"));
        var e = Assert.Throws<SimulationInputException>(() => HhShardMerge.Merge([PathOf("a.h5"), PathOf("b.h5")], PathOf("m.h5")));
        Assert.Contains(HhNoiseAttributes.MeasurementSigma, e.Message);
        Assert.Throws<SimulationInputException>(() => HhShardMerge.Merge([PathOf("a.h5"), PathOf("c.h5")], PathOf("m.h5")));
        Assert.False(File.Exists(PathOf("m.h5")));
    }
}
