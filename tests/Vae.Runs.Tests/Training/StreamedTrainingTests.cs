using TorchSharp;
using Vae.Runs.Data;
using Vae.Runs.Metrics;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Runs.Settings;
using Vae.Runs.Training;
using Vae.Runs.Tests.Data;

namespace Vae.Runs.Tests.Training;

/// <summary>The tests that count every live tensor of the process run alone.</summary>
[CollectionDefinition(nameof(LiveTensorCounts), DisableParallelization = true)]
public sealed class LiveTensorCounts;

/// <summary>Training on traces read from the file gives the metrics of training on traces held in memory, in bounded memory.</summary>
[Collection(nameof(LiveTensorCounts))]
public sealed class StreamedTrainingTests
{
    private static TrainConfig Config(string data, double noiseSigmaMv) => new()
    {
        HhData = data, Epochs = 3, BatchSize = 8, LatentDim = 2, Scaling = ScalingMode.Dataset, Shuffle = ShuffleMode.Epoch, Seed = 11,
        TrainNoiseSigmaMv = noiseSigmaMv,
    };

    // Records the live tensors (all threads: the finalizer frees some) and managed heap bytes at the end of each epoch.
    private sealed class MemoryProbe : IProgressSink
    {
        public List<(long Tensors, long Heap)> AtEpochEnd { get; } = [];
        public void EpochStarted(int epoch, int epochs, int batches) { }
        public void BatchDone(int batch, double loss) { }
        public void EpochDone(int epoch, int epochs, EpochMetrics metrics)
        {
            // Tensors no longer referenced count as live until their finalizers have run.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            AtEpochEnd.Add((torch.Tensor.TotalCount, GC.GetTotalMemory(forceFullCollection: true)));
        }
    }

    private static MetricsTable Train(DataResidence where, string folder, int? stopAfter = null, bool resume = false, IProgressSink? sink = null,
        double noiseSigmaMv = 0)
    {
        TestTorch.Ensure();
        var path = Path.Combine(TinyData.Dir, "d40.h5");
        var cfg = Config(path, noiseSigmaMv);
        using var data = HhTraces.Load(cfg, path, RecordedData.None, where);
        var model = ModelCatalog.Build(cfg, data.Kind, data.Features);
        var run = new TrainingRun(cfg, data, () => resume ? RunFolder.At(folder) : RunFolder.Create(folder, force: false), resume,
            sink ?? new SilentProgress(), stopAfter);
        return run.Train(model).Metrics;
    }

    // metrics.csv without its wall-clock column.
    private static string[] WithoutSeconds(MetricsTable metrics)
    {
        var lines = metrics.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var seconds = Array.IndexOf(lines[0].Split(','), "seconds");
        Assert.True(seconds >= 0);
        return lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != seconds))).ToArray();
    }

    [Fact]
    public void A_run_on_streamed_traces_has_the_metrics_of_the_run_in_memory_and_a_resumed_one_too()
    {
        var root = Directory.CreateTempSubdirectory("fvae-stream-").FullName;
        try
        {
            var memory = WithoutSeconds(Train(DataResidence.Memory, Path.Combine(root, "memory")));
            var stream = WithoutSeconds(Train(DataResidence.Stream, Path.Combine(root, "stream")));
            Assert.Equal(4, memory.Length);
            Assert.Equal(memory, stream);
            // Paused after epoch 1 of 3, then resumed: the uninterrupted run's metrics.
            var paused = Path.Combine(root, "paused");
            Train(DataResidence.Stream, paused, stopAfter: 1);
            Assert.Equal(memory, WithoutSeconds(Train(DataResidence.Stream, paused, resume: true)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_run_with_fresh_measurement_noise_is_the_same_streamed_in_memory_and_resumed_and_differs_from_one_without()
    {
        var root = Directory.CreateTempSubdirectory("fvae-noise-").FullName;
        try
        {
            var memory = WithoutSeconds(Train(DataResidence.Memory, Path.Combine(root, "memory"), noiseSigmaMv: 2));
            Assert.Equal(memory, WithoutSeconds(Train(DataResidence.Stream, Path.Combine(root, "stream"), noiseSigmaMv: 2)));
            var paused = Path.Combine(root, "paused");
            Train(DataResidence.Stream, paused, stopAfter: 1, noiseSigmaMv: 2);
            Assert.Equal(memory, WithoutSeconds(Train(DataResidence.Stream, paused, resume: true, noiseSigmaMv: 2)));
            var clean = WithoutSeconds(Train(DataResidence.Memory, Path.Combine(root, "clean")));
            Assert.Equal(clean[0], memory[0]);
            Assert.All(Enumerable.Range(1, 3), e => Assert.NotEqual(clean[e], memory[e]));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Streamed_training_holds_the_same_live_tensors_and_heap_after_every_epoch()
    {
        var root = Directory.CreateTempSubdirectory("fvae-stream-").FullName;
        try
        {
            var probe = new MemoryProbe();
            Train(DataResidence.Stream, Path.Combine(root, "run"), sink: probe);
            Assert.Equal(3, probe.AtEpochEnd.Count);
            // Twelve batches, a held-out evaluation and a checkpoint per epoch leave no tensor behind.
            Assert.True(probe.AtEpochEnd[0].Tensors == probe.AtEpochEnd[2].Tensors, string.Join(", ", probe.AtEpochEnd));
            // The managed heap does not grow with the batches read: far less than one epoch's traces (32 x 20 kB) added.
            Assert.True(probe.AtEpochEnd[2].Heap - probe.AtEpochEnd[0].Heap < 256_000,
                $"heap grew from {probe.AtEpochEnd[0].Heap} to {probe.AtEpochEnd[2].Heap} bytes");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
