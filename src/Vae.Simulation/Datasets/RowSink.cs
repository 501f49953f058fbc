using Vae.Simulation.Integration;
using Vae.Simulation.Noise;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Datasets;

/// <summary>
/// Where every simulated trace of a block of rows ends, whichever integrator made it and on whichever thread: its
/// spikes are counted on the membrane voltage, measurement noise is added (drawn from the trace's dataset row), and
/// the noisy recording is min-max scaled into the dataset; a failed solve is kept to be thrown once the block is done.
/// </summary>
internal sealed class RowSink(HhDatasetSpec spec, int first, int count, TraceRows into, Action<int>? progress, CancellationToken cancel)
{
    private readonly SimulationFailedException?[] _failures = new SimulationFailedException?[count];
    private readonly object _gate = new();
    private SolveStatistics _total;
    private int _done;

    /// <summary>A buffer for one trace's noisy recording, one per worker thread.</summary>
    public double[] NewScratch() => new double[spec.Protocol.ScalingSampleCount];

    /// <summary>Stores trace <paramref name="i"/> of the block (row <c>first + i</c>) from its voltage over the scaling window.</summary>
    public void Complete(int i, ReadOnlySpan<double> voltage, SolveResult result, double[] scratch, ref SolveStatistics stats)
    {
        stats.Add(result.Statistics);
        int row = first + i;
        int datasetRow = spec.Shard.First + row;
        if (result.Succeeded)
        {
            int samples = spec.SampleCount;
            // Spikes are the cell's, not the recording's: counted before measurement noise can add 0 mV crossings.
            into.SpikeCounts[row] = SpikeDetection.Count(voltage[..samples]);
            if (spec.Noise.HasMeasurement)
            {
                voltage.CopyTo(scratch);
                MeasurementNoise.Add(spec.Noise, datasetRow, spec.Protocol.OutputDtMs, scratch.AsSpan(0, voltage.Length));
                voltage = scratch.AsSpan(0, voltage.Length);
            }
            var (min, max) = TraceScaling.Range(voltage);
            into.RawMin[row] = min;
            into.RawMax[row] = max;
            TraceScaling.Scale(voltage[..samples], min, max, into.Scaled.AsSpan((row - into.ScaledFirstRow) * samples, samples));
        }
        else
        {
            var c = spec.Conductances[row];
            _failures[i] = new SimulationFailedException(datasetRow, c, result,
                $"trace {datasetRow} (gK = {c.GK}, gNa = {c.GNa}) failed: {result.Describe()}.");
        }
        int now = Interlocked.Increment(ref _done);
        if (progress is not null && (now % DatasetGenerator.ProgressInterval == 0 || now == count))
            progress(now);
        cancel.ThrowIfCancellationRequested();
    }

    /// <summary>Adds a worker's statistics once it is done.</summary>
    public void Add(in SolveStatistics stats)
    {
        lock (_gate) _total.Add(stats);
    }

    /// <summary>The work of the whole block; throws the first failed trace's exception, if any.</summary>
    public SolveStatistics Finish() => _failures.FirstOrDefault(f => f is not null) is { } failure ? throw failure : _total;
}
