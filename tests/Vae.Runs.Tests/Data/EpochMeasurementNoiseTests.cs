using Vae.Runs.Data;
using Vae.Runs.Settings;
using Vae.Runs.Training;
using static TorchSharp.torch;

namespace Vae.Runs.Tests.Data;

/// <summary>
/// Fresh measurement noise on training traces: a function of (seed, epoch, trace) alone, sigma mV in mV under either
/// scaling, and nothing at all when the config asks for none.
/// </summary>
public sealed class EpochMeasurementNoiseTests
{
    private static readonly string Path40 = Path.Combine(TinyData.Dir, "d40.h5");

    private static TrainConfig Config(string scaling, double sigma, double tau = 0) =>
        new() { HhData = Path40, Scaling = SettingNames.Parse<ScalingMode>(scaling), Seed = 7, TrainNoiseSigmaMv = sigma, TrainNoiseTauMs = tau };

    private static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();

    // Every training example of an epoch with its noise, batch by batch in the epoch's shuffled order, by example.
    private static float[][] NoisyExamples(HhTraces data, EpochMeasurementNoise noise, int batch, int epoch)
    {
        var byExample = new float[data.Train.Count][];
        var order = BatchOrder.ForEpoch(data.Train.Count, ShuffleMode.Epoch, 3, epoch);
        using var scope = NewDisposeScope();
        for (var first = 0; first < order.Length; first += batch)
        {
            var rows = order[first..Math.Min(order.Length, first + batch)];
            var values = Floats(noise.AddTo(data.Train.Rows(rows), rows, epoch));
            for (var k = 0; k < rows.Length; k++)
                byExample[rows[k]] = values[(k * data.Features)..((k + 1) * data.Features)];
        }
        return byExample;
    }

    [Theory]
    [InlineData("dataset")]
    [InlineData("trace")]
    public void A_traces_noise_is_the_same_for_any_batch_size_streamed_or_in_memory_and_new_every_epoch(string scaling)
    {
        TestTorch.Ensure();
        var cfg = Config(scaling, sigma: 2);
        using var memory = HhTraces.Load(cfg, Path40, RecordedData.None, DataResidence.Memory);
        using var stream = HhTraces.Load(cfg, Path40, RecordedData.None, DataResidence.Stream);
        var (m, s) = (EpochMeasurementNoise.For(cfg, memory)!, EpochMeasurementNoise.For(cfg, stream)!);
        var reference = NoisyExamples(memory, m, batch: 8, epoch: 1);
        Assert.Equal(reference, NoisyExamples(memory, m, batch: 5, epoch: 1));
        Assert.Equal(reference, NoisyExamples(stream, s, batch: 1, epoch: 1));
        Assert.Equal(reference, NoisyExamples(stream, s, batch: 32, epoch: 1));
        var other = NoisyExamples(memory, m, batch: 8, epoch: 2);
        using var scope = NewDisposeScope();
        var clean = Floats(memory.Train.All());
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.NotEqual(reference[i], other[i]);
            Assert.NotEqual(clean[(i * memory.Features)..((i + 1) * memory.Features)], reference[i]);
        }
    }

    [Theory]
    [InlineData("dataset", 0.0)]
    [InlineData("trace", 0.0)]
    [InlineData("dataset", 1.0)]
    public void The_added_noise_in_mV_has_standard_deviation_sigma(string scaling, double tauMs)
    {
        TestTorch.Ensure();
        const double sigma = 3;
        var cfg = Config(scaling, sigma, tauMs);
        using var data = HhTraces.Load(cfg, Path40, RecordedData.None, DataResidence.Memory);
        var noise = EpochMeasurementNoise.For(cfg, data)!;
        using var scope = NewDisposeScope();
        var clean = Floats(data.Train.All());
        var noisy = NoisyExamples(data, noise, batch: 8, epoch: 0);
        // (noisy - clean) x mV per unit in float64: the noise in mV, up to float32 rounding (~1e-5 mV, far below the tolerance).
        double sum = 0, sumSq = 0, lag1 = 0;
        long n = 0;
        var length = data.Features;
        for (var i = 0; i < noisy.Length; i++)
        {
            var unit = data.Traces.MillivoltsPerUnit(data.File.TrainIndices[i]);
            double previous = 0;
            for (var t = 0; t < length; t++)
            {
                var mv = ((double)noisy[i][t] - clean[i * length + t]) * unit;
                (sum, sumSq, n) = (sum + mv, sumSq + mv * mv, n + 1);
                if (t > 0)
                    lag1 += mv * previous;
                previous = mv;
            }
        }
        var sd = Math.Sqrt(sumSq / n - (sum / n) * (sum / n));
        // The relative standard error of a sample sd from n draws is 1/sqrt(2n) for white noise (0.18 % for n = 160,000);
        // OU samples with lag-1 correlation a carry (1 - a^2)/(1 + a^2) of that information (a = 0.99: about 1/100).
        var a = tauMs > 0 ? Math.Exp(-0.01 / tauMs) : 0;
        var relativeError = 1 / Math.Sqrt(2.0 * n * (1 - a * a) / (1 + a * a));
        Assert.True(Math.Abs(sd / sigma - 1) < 5 * relativeError, $"sd {sd} mV, sigma {sigma} mV, 5 standard errors {5 * relativeError:P2}");
        // The mean's standard error: sigma / sqrt(n), times sqrt((1 + a)/(1 - a)) for OU samples.
        var meanError = sigma * Math.Sqrt((1 + a) / (1 - a) / n);
        Assert.True(Math.Abs(sum / n) < 5 * meanError, $"mean {sum / n} mV, 5 standard errors {5 * meanError} mV");
        // Lag-1 correlation: 0 for white noise, a for OU (its standard error about 1/sqrt(n) and 1/sqrt(n/100)).
        var correlation = lag1 / (n - noisy.Length) / (sd * sd);
        Assert.True(Math.Abs(correlation - a) < 0.05, $"lag-1 correlation {correlation}, expected {a}");
    }

    [Fact]
    public void No_noise_is_asked_for_by_default_nor_by_an_old_config_and_mnist_or_a_bad_value_is_refused()
    {
        Assert.Null(EpochMeasurementNoise.For(new TrainConfig(), null!));
        var old = TrainConfig.FromJson("{\"dataset\": \"hh\", \"seed\": 3}");
        Assert.Equal((0.0, 0.0), (old.TrainNoiseSigmaMv, old.TrainNoiseTauMs));
        // A noise-free config writes no noise fields (its config.json as before the option); a noisy one round-trips.
        Assert.DoesNotContain("trainNoise", TrainConfig.Defaults(Dataset.Hh).ToJson());
        var noisy = TrainConfig.Defaults(Dataset.Hh) with { TrainNoiseSigmaMv = 1.5, TrainNoiseTauMs = 2 };
        Assert.Equal(noisy.ToJson(), TrainConfig.FromJson(noisy.ToJson()).ToJson());
        Assert.Contains("\"trainNoiseSigmaMv\": 1.5", noisy.ToJson());
        Assert.Null(noisy.FirstProblem());
        Assert.Equal("trainNoiseSigmaMv", (TrainConfig.Defaults(Dataset.Mnist) with { TrainNoiseSigmaMv = 1 }).FirstProblem()?.Setting);
        Assert.Equal("trainNoiseSigmaMv", (noisy with { TrainNoiseSigmaMv = 51 }).FirstProblem()?.Setting);
        Assert.Equal("trainNoiseSigmaMv", (noisy with { TrainNoiseSigmaMv = double.NaN }).FirstProblem()?.Setting);
        Assert.Equal("trainNoiseTauMs", (noisy with { TrainNoiseTauMs = -1 }).FirstProblem()?.Setting);
        Assert.Equal("trainNoiseTauMs", (noisy with { TrainNoiseSigmaMv = 0 }).FirstProblem()?.Setting);
    }
}
