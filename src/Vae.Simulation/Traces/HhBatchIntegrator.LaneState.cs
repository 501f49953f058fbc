using System.Runtime.Intrinsics;
using Vae.Simulation.Integration;

namespace Vae.Simulation.Traces;

// The state a run keeps per lane: vectors the step works on and scalar bookkeeping.
public sealed partial class HhBatchIntegrator
{
    /// <summary>
    /// Per-lane vector state: time, proposed step, (V, n, m, h), conductances, current, next stop, controller memory
    /// (log of the last accepted error, last attempt rejected as a mask) and counters.
    /// </summary>
    private struct LaneVectors
    {
        public Vector256<double> T, H, V, N, M, Hg, GK, GNa, Current, SegEnd, LogPrevErr, LastRejected, Attempts, Accepted, NonFiniteRun;
    }

    /// <summary>The new (V, n, m, h) of an attempt in every lane.</summary>
    private readonly record struct LaneState(Vector256<double> V, Vector256<double> N, Vector256<double> M, Vector256<double> H);

    /// <summary>What a run works on: the traces, the queue handing out their indices and where finished ones go.</summary>
    private readonly ref struct RunContext(ReadOnlySpan<Conductances> traces, TraceQueue queue, TraceCompleted completed)
    {
        public readonly ReadOnlySpan<Conductances> Traces = traces;
        public readonly TraceQueue Queue = queue;
        public readonly TraceCompleted Completed = completed;
    }

    /// <summary>Per-lane scalar bookkeeping of a run.</summary>
    private sealed class LaneBook(int sampleCount)
    {
        public readonly int[] Trace = new int[Lanes];
        public readonly int[] OutIndex = new int[Lanes];
        public readonly int[] Segment = new int[Lanes];
        public readonly long[] ExtraEvaluations = new long[Lanes];
        public readonly double[][] Buffers = [new double[sampleCount], new double[sampleCount], new double[sampleCount], new double[sampleCount]];
        public readonly double[] F0 = new double[4];
        public readonly double[] Scratch = new double[8];
        public uint ActiveBits;
    }
}
