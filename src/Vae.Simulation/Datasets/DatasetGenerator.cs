using Vae.Simulation.Integration;
using Vae.Simulation.Noise;
using Vae.Simulation.Protocols;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Datasets;

/// <summary>
/// Simulates a dataset in parallel: one <see cref="HhBatchIntegrator"/> worker per thread takes traces from a shared
/// queue as its lanes become free (with intrinsic noise: <see cref="SdeRows"/>), and every finished trace goes
/// through <see cref="RowSink"/> into the dataset. A trace's result depends only on its parameters and dataset row,
/// so the dataset is bit-for-bit the same for any thread count.
/// </summary>
public static class DatasetGenerator
{
    /// <summary>Traces between two progress reports.</summary>
    public const int ProgressInterval = 64;

    /// <summary>
    /// N traces with conductances drawn from <paramref name="seed"/> (see <see cref="ParameterSampler"/>), with
    /// <paramref name="noise"/> (default none).
    /// </summary>
    public static HhDataset FromSeed(HhProtocol protocol, int count, ulong seed, SolverOptions solver, int? threads = null,
        Action<int>? progress = null, CancellationToken cancel = default, HhNoise? noise = null)
    {
        if (count <= 0) throw new SimulationInputException($"the number of traces must be at least 1, got {count}.");
        protocol.Validate();
        var dataset = new HhDataset(protocol, ParameterSampler.DrawMany(protocol, seed, count), solver, seed, "seed", noise: noise);
        Simulate(dataset, threads, progress, cancel);
        return dataset;
    }

    /// <summary>One trace per entry of <paramref name="conductances"/> (e.g. from <see cref="ParameterCsv"/>).</summary>
    public static HhDataset FromParameters(HhProtocol protocol, Conductances[] conductances, string source, SolverOptions solver,
        int? threads = null, Action<int>? progress = null, CancellationToken cancel = default)
    {
        if (conductances.Length == 0) throw new SimulationInputException("the parameter list is empty.");
        protocol.Validate();
        var dataset = new HhDataset(protocol, conductances, solver, null, source);
        Simulate(dataset, threads, progress, cancel);
        return dataset;
    }

    /// <summary>Fills <paramref name="dataset"/>; <paramref name="progress"/> receives the number of traces done (from worker threads).</summary>
    public static void Simulate(HhDataset dataset, int? threads = null, Action<int>? progress = null, CancellationToken cancel = default)
    {
        int threadCount = CheckedThreads(threads);
        ValidateCells(dataset.Spec);
        dataset.Statistics = SimulateRows(dataset.Spec, 0, dataset.Count,
            new TraceRows(dataset.Scaled, 0, dataset.RawMin, dataset.RawMax, dataset.SpikeCounts), threadCount, progress, cancel);
    }

    /// <summary>The thread count to use: <paramref name="threads"/>, or one per processor.</summary>
    internal static int CheckedThreads(int? threads)
    {
        int threadCount = threads ?? Environment.ProcessorCount;
        if (threadCount < 1) throw new SimulationInputException($"threads must be at least 1, got {threadCount}.");
        return threadCount;
    }

    /// <summary>Checks every cell here, on the calling thread, so bad input surfaces as one clear error before any work.</summary>
    internal static void ValidateCells(HhDatasetSpec spec)
    {
        spec.Protocol.Validate();
        spec.Noise.Validate(spec.Protocol);
        foreach (var c in spec.Conductances)
            spec.Protocol.ParametersFor(c.GK, c.GNa).Validate();
    }

    /// <summary>
    /// Simulates rows <paramref name="first"/> .. + <paramref name="count"/> - 1 of <paramref name="spec"/> into
    /// <paramref name="into"/>; <paramref name="progress"/> receives the number of these rows done.
    /// </summary>
    internal static SolveStatistics SimulateRows(HhDatasetSpec spec, int first, int count, TraceRows into, int threadCount,
        Action<int>? progress, CancellationToken cancel)
    {
        var cells = spec.Conductances.AsSpan(first, count).ToArray();
        var sink = new RowSink(spec, first, count, into, progress, cancel);
        if (spec.Noise.HasIntrinsic)
        {
            SdeRows.Run(spec, first, cells, sink, threadCount, cancel);
            return sink.Finish();
        }
        var integrator = new HhBatchIntegrator(spec.Protocol, spec.Solver);
        var queue = new TraceQueue(count);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threadCount, CancellationToken = cancel };
        // One worker per thread; each pulls traces from the shared queue until it is empty.
        Parallel.For(0, Math.Min(threadCount, (count + HhBatchIntegrator.Lanes - 1) / HhBatchIntegrator.Lanes), options, _ =>
        {
            var stats = new SolveStatistics();
            var scratch = sink.NewScratch();
            integrator.Run(cells, queue, (i, voltage, result) => sink.Complete(i, voltage, result, scratch, ref stats));
            sink.Add(stats);
        });
        return sink.Finish();
    }
}

/// <summary>
/// Where simulated rows go: the scaled traces (row r at <c>(r - ScaledFirstRow) * samples</c>, so a block buffer
/// can hold a few rows of a large dataset) and the per-trace values indexed by row.
/// </summary>
internal sealed record TraceRows(float[] Scaled, int ScaledFirstRow, double[] RawMin, double[] RawMax, int[] SpikeCounts);
