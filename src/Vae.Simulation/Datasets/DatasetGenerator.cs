using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Datasets;

/// <summary>
/// Simulates a dataset in parallel: one <see cref="HhBatchIntegrator"/> worker per thread takes traces from a shared
/// queue as its lanes become free, and every finished trace is scaled straight into the dataset. A trace's result
/// depends only on its parameters, so the dataset is bit-for-bit the same for any thread count.
/// </summary>
public static class DatasetGenerator
{
    /// <summary>Traces between two progress reports.</summary>
    public const int ProgressInterval = 64;

    /// <summary>N traces with conductances drawn from <paramref name="seed"/> (see <see cref="ParameterSampler"/>).</summary>
    public static HhDataset FromSeed(HhProtocol protocol, int count, ulong seed, SolverOptions solver, int? threads = null,
        Action<int>? progress = null, CancellationToken cancel = default)
    {
        if (count <= 0) throw new SimulationInputException($"the number of traces must be at least 1, got {count}.");
        protocol.Validate();
        var dataset = new HhDataset(protocol, ParameterSampler.DrawMany(protocol, seed, count), solver, seed, "seed");
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
        int threadCount = threads ?? Environment.ProcessorCount;
        if (threadCount < 1) throw new SimulationInputException($"threads must be at least 1, got {threadCount}.");
        var integrator = new HhBatchIntegrator(dataset.Protocol, dataset.Solver);
        // Check every cell here, on the calling thread, so bad input surfaces as one clear error before any work.
        foreach (var c in dataset.Conductances)
            dataset.Protocol.ParametersFor(c.GK, c.GNa).Validate();
        int n = dataset.Count, samples = dataset.SampleCount;
        var queue = new TraceQueue(n);
        var failures = new SimulationFailedException?[n];
        var total = new SolveStatistics();
        var gate = new object();
        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threadCount, CancellationToken = cancel };
        // One worker per thread; each pulls traces from the shared queue until it is empty.
        Parallel.For(0, Math.Min(threadCount, (n + HhBatchIntegrator.Lanes - 1) / HhBatchIntegrator.Lanes), options, _ =>
        {
            var stats = new SolveStatistics();
            integrator.Run(dataset.Conductances, queue, (i, voltage, result) =>
            {
                stats.Add(result.Statistics);
                if (result.Succeeded)
                {
                    var (min, max) = TraceScaling.Range(voltage);
                    dataset.RawMin[i] = min;
                    dataset.RawMax[i] = max;
                    var kept = voltage[..samples];
                    dataset.SpikeCounts[i] = SpikeDetection.Count(kept);
                    TraceScaling.Scale(kept, min, max, dataset.Scaled.AsSpan(i * samples, samples));
                }
                else
                {
                    var c = dataset.Conductances[i];
                    int row = dataset.Shard.First + i;
                    failures[i] = new SimulationFailedException(row, c, result,
                        $"trace {row} (gK = {c.GK}, gNa = {c.GNa}) failed: {result.Describe()}.");
                }
                int now = Interlocked.Increment(ref done);
                if (progress is not null && (now % ProgressInterval == 0 || now == n))
                    progress(now);
                cancel.ThrowIfCancellationRequested();
            });
            lock (gate) total.Add(stats);
        });
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
            throw failure;
        dataset.Statistics = total;
    }
}
