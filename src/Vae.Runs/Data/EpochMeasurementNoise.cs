using Vae.Runs.Settings;
using Vae.Simulation.Noise;
using static TorchSharp.torch;

namespace Vae.Runs.Data;

/// <summary>
/// Measurement noise drawn afresh every epoch for every training trace (<c>--train-noise-sigma</c>,
/// <c>--train-noise-tau</c>): the simulation's own generator (<see cref="MeasurementNoise"/>: Gaussian in mV, white or
/// Ornstein-Uhlenbeck), added to the trace in mV and carried through the run's map to model units. Trace i's noise in
/// epoch e depends only on (run seed, e, i's row in the file), so neither batch size, batch order, threads, streamed or
/// in-memory traces nor resuming change it. Test traces are never re-noised: held-out metrics stay comparable across runs.
/// </summary>
/// <remarks>
/// The run's maps are affine, so noise n mV adds n / (mV per unit) to the model input (<see cref="HhModelInput.MillivoltsPerUnit"/>):
/// it is added in float64 to the row as the model sees it, then rounded to float32 once. Under per-trace scaling the
/// trace keeps its own stored min-max map instead of being rescaled by the min and max of the noisy trace: those are
/// extremes of 5,000 noisy samples, biased outward by up to a few sigma and different every epoch, which would shrink each
/// trace at random and give training traces another scale than the test traces.
/// </remarks>
public sealed class EpochMeasurementNoise
{
    private readonly HhModelInput _input;
    private readonly int[] _fileRows;
    private readonly double _sigmaMv;
    private readonly double _tauMs;
    private readonly double _dtMs;
    private readonly long _seed;

    private EpochMeasurementNoise(HhTraces data, double sigmaMv, double tauMs, long seed)
    {
        (_input, _fileRows, _sigmaMv, _tauMs, _seed) = (data.Traces, data.File.TrainIndices, sigmaMv, tauMs, seed);
        var time = data.File.Time;
        _dtMs = time.Length > 1 ? time[1] - time[0] : 0;
    }

    /// <summary>
    /// The noise <paramref name="cfg"/> asks for on the training split of <paramref name="data"/>, or null when it asks
    /// for none (training then sees the stored traces, bit for bit as without this option).
    /// </summary>
    public static EpochMeasurementNoise? For(TrainConfig cfg, TrainingData data)
    {
        if (cfg.TrainNoiseSigmaMv == 0)
            return null;
        return data is HhTraces hh
            ? new EpochMeasurementNoise(hh, cfg.TrainNoiseSigmaMv, cfg.TrainNoiseTauMs, cfg.Seed)
            : throw new ArgumentException($"measurement noise is added to HH traces, not to {cfg.Dataset} data", nameof(cfg));
    }

    /// <summary>What the noise is, for the run's log, e.g. <c>1 mV white, drawn afresh every epoch for each training trace</c>.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{_sigmaMv:G4} mV ")
        + (_tauMs > 0 ? FormattableString.Invariant($"OU tau {_tauMs:G4} ms") : "white")
        + ", drawn afresh every epoch for each training trace";

    /// <summary>
    /// The noise (mV) of file row <paramref name="fileRow"/> in epoch <paramref name="epoch"/> (0-based), into <paramref name="into"/>.
    /// </summary>
    public void Millivolts(int epoch, int fileRow, Span<double> into)
    {
        into.Clear();
        var stream = new NoiseStream((ulong)Seeds.Derive(_seed, Seeds.Purpose.MeasurementNoise, epoch), fileRow, NoiseStream.Measurement);
        MeasurementNoise.Add(_sigmaMv, _tauMs, _dtMs, ref stream, into);
    }

    /// <summary>
    /// <paramref name="batch"/>, training examples <paramref name="rows"/> as <see cref="TrainingData.Train"/> serves them,
    /// with epoch <paramref name="epoch"/>'s noise added: a new tensor (the caller's dispose scope frees both).
    /// </summary>
    public Tensor AddTo(Tensor batch, IReadOnlyList<int> rows, int epoch)
    {
        var length = _input.Features;
        float[] values;
        using (var stored = batch.contiguous().data<float>())
            values = stored.ToArray();
        // Rows are independent draws, so they are filled in parallel on the run's threads (libtorch waits meanwhile).
        var threads = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, get_num_threads()) };
        Parallel.For(0, rows.Count, threads, () => new double[length], (k, _, noise) =>
        {
            var fileRow = _fileRows[rows[k]];
            var unit = _input.MillivoltsPerUnit(fileRow);
            if (!(unit > 0))
                return noise;
            Millivolts(epoch, fileRow, noise);
            var row = values.AsSpan(k * length, length);
            for (var t = 0; t < length; t++)
                row[t] = (float)(row[t] + noise[t] / unit);
            return noise;
        }, _ => { });
        return tensor(values, [rows.Count, length]);
    }
}
