using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Simulation.Features;
using Vae.Simulation.Traces;
using static TorchSharp.torch;

namespace Vae.Runs.Analysis;

/// <summary>
/// Reconstruction error of the test traces in mV RMS over all samples, over subthreshold samples and over spike
/// samples (<see cref="SpikeWindows"/> of the original trace), and the spikes each side has.
/// </summary>
/// <param name="Traces">Test traces compared.</param>
/// <param name="RmsMv">RMS error over every sample (mV).</param>
/// <param name="SubthresholdRmsMv">RMS error over samples outside every spike window of the original (mV).</param>
/// <param name="SpikeRmsMv">RMS error over samples inside a spike window of the original (mV); NaN without spikes.</param>
/// <param name="SpikeSampleFraction">Share of the samples inside a spike window.</param>
/// <param name="Spikes">Upward 0 mV crossings of the originals.</param>
/// <param name="ReconstructedSpikes">Upward 0 mV crossings of the reconstructions.</param>
public sealed record RegionErrors(
    int Traces, double RmsMv, double SubthresholdRmsMv, double SpikeRmsMv, double SpikeSampleFraction, int Spikes, int ReconstructedSpikes);

/// <summary>An eFEL-style feature of the reconstructions against the same feature of the original test traces (both in mV).</summary>
/// <param name="Feature">eFEL's name.</param>
/// <param name="Compared">Traces where both have the feature.</param>
/// <param name="MeanAbsoluteError">Mean |reconstruction - original| over those traces, in the feature's unit.</param>
/// <param name="RelativeError">That error over the standard deviation of the feature across the originals.</param>
/// <param name="OriginalOnly">Traces where only the original has the feature (e.g. a spike the reconstruction lost).</param>
/// <param name="ReconstructionOnly">Traces where only the reconstruction has it.</param>
public sealed record FeatureErrorRow(
    string Feature, int Compared, double MeanAbsoluteError, double RelativeError, int OriginalOnly, int ReconstructionOnly);

/// <summary>Where the reconstructions of HH traces go wrong: by region of the trace, and by eFEL-style feature.</summary>
public static class ReconstructionRegions
{
    /// <summary>Test traces compared at most (the first of the test split).</summary>
    public const int MaxTraces = 2000;

    /// <summary>Traces reconstructed and compared at a time: 10 MB of traces and reconstructions.</summary>
    public const int BlockRows = 256;

    /// <summary>
    /// Reconstructs the first <see cref="MaxTraces"/> test traces of <paramref name="data"/> through the posterior means
    /// of <paramref name="model"/>, reads both in mV (the model's scaling undone: the dataset-wide map, or each original
    /// trace's own minimum and maximum) and compares them, a block of traces at a time.
    /// </summary>
    public static (RegionErrors Regions, FeatureErrorRow[] Features) Of(HhTraces data, ITrainedModel model)
    {
        var file = data.File;
        var rows = file.TestIndices;
        int n = Math.Min(MaxTraces, rows.Length), length = file.Length;
        var like = FeatureTraces.From(file);
        var columns = EfelFeatures.Columns.Count;
        var (original, reconstructed) = (new double[n * columns], new double[n * columns]);
        var sums = new RegionSums();
        for (var first = 0; first < n; first += BlockRows)
        {
            var count = Math.Min(BlockRows, n - first);
            var stored = new float[count * length];
            file.ReadRows(rows, first, count, stored);
            var (lo, hi, reconLo, reconHi) = (new double[count], new double[count], new double[count], new double[count]);
            for (var k = 0; k < count; k++)
            {
                (lo[k], hi[k]) = (file.RawMin[rows[first + k]], file.RawMax[rows[first + k]]);
                // Model units to mV: x * (max - min) + min, with the map's (min, max) or the original trace's.
                (reconLo[k], reconHi[k]) = data.Map is { } map ? (map.Offset, map.Offset + map.Scale) : (lo[k], hi[k]);
            }
            var all = Enumerable.Repeat(true, count).ToArray();
            var originals = new FeatureTraces(stored, count, length, lo, hi, like.TimeMs, like.Stimulus, all);
            var reconstructions = new FeatureTraces(Reconstruct(model, data.Test, first, count, length), count, length, reconLo, reconHi,
                like.TimeMs, like.Stimulus, all);
            sums.Add(originals, reconstructions, like.TimeMs[1] - like.TimeMs[0]);
            TraceFeatures.Compute(originals, FeatureSet.Efel, TraceUnits.Millivolts).Values.CopyTo(original, first * columns);
            TraceFeatures.Compute(reconstructions, FeatureSet.Efel, TraceUnits.Millivolts).Values.CopyTo(reconstructed, first * columns);
        }
        return (sums.Result(n, length),
            Features(new FeatureMatrix(EfelFeatures.Columns, n, original), new FeatureMatrix(EfelFeatures.Columns, n, reconstructed)));
    }

    private static float[] Reconstruct(ITrainedModel model, ModelInputRows test, int start, int n, int length)
    {
        var values = new float[(long)n * length];
        for (var first = 0; first < n; first += TrainedModel.BatchSize)
        {
            var count = Math.Min(TrainedModel.BatchSize, n - first);
            using var scope = NewDisposeScope();
            using var f = model.Reconstruct(test.Rows(start + first, count)).to(ScalarType.Float32).contiguous();
            f.data<float>().CopyTo(values.AsSpan(first * length, count * length));
        }
        return values;
    }

    // Squared errors and sample counts by region, over the blocks.
    private sealed class RegionSums
    {
        private double _all, _sub, _spike;
        private long _spikeSamples;
        private int _spikes, _reconstructedSpikes;

        public void Add(FeatureTraces originals, FeatureTraces reconstructions, double dt)
        {
            int length = originals.Length;
            var (v, r, spike) = (new double[length], new double[length], new bool[length]);
            var stored = new float[length];
            for (var k = 0; k < originals.Count; k++)
            {
                originals.ReadRows(k, 1, stored);
                Vae.Simulation.Traces.TraceScaling.Unscale(stored, originals.RawMin[k], originals.RawMax[k], v);
                reconstructions.ReadRows(k, 1, stored);
                Vae.Simulation.Traces.TraceScaling.Unscale(stored, reconstructions.RawMin[k], reconstructions.RawMax[k], r);
                _spikes += SpikeWindows.Mark(v, dt, spike);
                _reconstructedSpikes += SpikeDetection.Count(r);
                for (var t = 0; t < length; t++)
                {
                    var e = (r[t] - v[t]) * (r[t] - v[t]);
                    _all += e;
                    if (spike[t]) { _spike += e; _spikeSamples++; }
                    else _sub += e;
                }
            }
        }

        public RegionErrors Result(int traces, int length)
        {
            double total = (double)traces * length;
            return new RegionErrors(traces, Math.Sqrt(_all / total), Math.Sqrt(_sub / (total - _spikeSamples)),
                _spikeSamples == 0 ? double.NaN : Math.Sqrt(_spike / _spikeSamples), _spikeSamples / total, _spikes, _reconstructedSpikes);
        }
    }

    private static FeatureErrorRow[] Features(FeatureMatrix a, FeatureMatrix b)
    {
        return a.Columns.Select((name, j) =>
        {
            var (x, y) = (a.Column(j), b.Column(j));
            var both = Enumerable.Range(0, x.Length).Where(i => !double.IsNaN(x[i]) && !double.IsNaN(y[i])).ToArray();
            var defined = x.Where(d => !double.IsNaN(d)).ToArray();
            var mae = both.Length == 0 ? double.NaN : both.Average(i => Math.Abs(y[i] - x[i]));
            var mean = defined.Length == 0 ? double.NaN : defined.Average();
            var std = defined.Length < 2 ? double.NaN : Math.Sqrt(defined.Average(d => (d - mean) * (d - mean)));
            return new FeatureErrorRow(name, both.Length, mae, std > 0 ? mae / std : double.NaN,
                Enumerable.Range(0, x.Length).Count(i => !double.IsNaN(x[i]) && double.IsNaN(y[i])),
                Enumerable.Range(0, x.Length).Count(i => double.IsNaN(x[i]) && !double.IsNaN(y[i])));
        }).ToArray();
    }
}
