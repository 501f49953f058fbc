using Vae.Simulation.Integration;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Datasets;

/// <summary>
/// Simulates a block of rows with intrinsic noise: groups of four traces (<see cref="HhEulerMaruyama.Lanes"/>) handed
/// to the threads by <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>. Each trace's increments are
/// drawn from its dataset row, so which group, thread or shard holds it does not change it. Every step costs the same,
/// so fixed groups balance as well as a queue.
/// </summary>
internal static class SdeRows
{
    /// <summary>Integrates <paramref name="cells"/> (rows <c>first ..</c> of the spec) into <paramref name="sink"/>.</summary>
    public static void Run(HhDatasetSpec spec, int first, Conductances[] cells, RowSink sink, int threadCount, CancellationToken cancel)
    {
        const int lanes = HhEulerMaruyama.Lanes;
        var em = new HhEulerMaruyama(spec.Protocol, spec.Noise);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threadCount, CancellationToken = cancel };
        Parallel.For(0, (cells.Length + lanes - 1) / lanes, options, () => new Buffers(em, sink), (g, _, b) =>
        {
            int lo = g * lanes, n = Math.Min(lanes, cells.Length - lo);
            Span<long> rows = stackalloc long[lanes];
            for (int l = 0; l < n; l++)
                rows[l] = spec.Shard.First + first + lo + l;
            em.DrawIncrements(rows[..n], b.Increments, b.InitialCurrent);
            em.Integrate(cells.AsSpan(lo, n), b.Increments, b.InitialCurrent, b.Voltage, b.Results);
            for (int l = 0; l < n; l++)
                sink.Complete(lo + l, b.Voltage.AsSpan(l * em.SampleCount, em.SampleCount), b.Results[l], b.Scratch, ref b.Stats);
            return b;
        }, b => sink.Add(b.Stats));
    }

    /// <summary>One worker's buffers, reused for every group it takes: nothing is allocated per trace.</summary>
    private sealed class Buffers(HhEulerMaruyama em, RowSink sink)
    {
        public readonly double[] Increments = new double[em.StepCount * HhEulerMaruyama.Lanes];
        public readonly double[] InitialCurrent = new double[HhEulerMaruyama.Lanes];
        public readonly double[] Voltage = new double[em.SampleCount * HhEulerMaruyama.Lanes];
        public readonly SolveResult[] Results = new SolveResult[HhEulerMaruyama.Lanes];
        public readonly double[] Scratch = sink.NewScratch();
        public SolveStatistics Stats;
    }
}
