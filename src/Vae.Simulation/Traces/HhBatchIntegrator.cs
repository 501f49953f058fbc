using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Vae.Simulation.HodgkinHuxley;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;

namespace Vae.Simulation.Traces;

/// <summary>
/// Integrates many HH traces of one protocol on one thread, four at a time in the lanes of <see cref="Vector256{T}"/>.
/// Each lane has its own time, step size, controller state and stop times, so a trace's result does not depend on
/// which traces share its lanes (or on thread count); a lane that finishes takes the next trace at once. The same
/// tableau, stop-and-restart at the stimulus edges and stopping rule (<see cref="StepLimits"/>) as
/// <see cref="OdeSolver"/>, its PI control and dense output lane-wise (<see cref="LanePiController"/>,
/// <see cref="LaneDenseOutput"/>); only V is sampled.
/// </summary>
public sealed partial class HhBatchIntegrator
{
    /// <summary>Traces integrated side by side.</summary>
    public const int Lanes = LaneDenseOutput.Lanes;

    private readonly HhProtocol _protocol;
    private readonly SolverOptions _options;
    private readonly ButcherTableau _tab;
    private readonly PiControllerConfig _ctl;
    private readonly double[] _segmentEnds;
    private readonly double[] _sampleTimes;

    /// <summary>Prepares integration of <paramref name="protocol"/> with <paramref name="options"/> (validated here).</summary>
    public HhBatchIntegrator(HhProtocol protocol, SolverOptions options)
    {
        protocol.Validate();
        options.Validate();
        if (!options.Tableau.IsFsal || options.Tableau.DenseDegree is < 3 or > 4)
            throw new SimulationInputException("the batch integrator needs a first-same-as-last tableau with cubic or quartic dense output; "
                + $"{options.Tableau.Name} is not.");
        _protocol = protocol;
        _options = options;
        _tab = options.Tableau;
        _ctl = options.EffectiveController;
        _segmentEnds = [.. protocol.Stimulus.EdgesWithin(0, protocol.EndTime), protocol.EndTime];
        _sampleTimes = Enumerable.Range(0, protocol.ScalingSampleCount).Select(protocol.SampleTime).ToArray();
    }

    /// <summary>
    /// Integrates <paramref name="traces"/> and reports each through <paramref name="completed"/> with index
    /// <c>firstIndex + i</c>, in order of completion; failed solves are reported too, with their return code.
    /// </summary>
    public void Run(ReadOnlySpan<Conductances> traces, int firstIndex, TraceCompleted completed) =>
        Run(traces, new TraceQueue(traces.Length), (i, v, r) => completed(firstIndex + i, v, r));

    /// <summary>
    /// Integrates the traces whose indices this thread takes from <paramref name="queue"/> (shared by several threads
    /// working on the same <paramref name="traces"/>), each lane taking the next index as soon as it is free, and
    /// reports each through <paramref name="completed"/> with its index into <paramref name="traces"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(ReadOnlySpan<Conductances> traces, TraceQueue queue, TraceCompleted completed)
    {
        if (queue.Count > traces.Length)
            throw new ArgumentException($"the queue hands out {queue.Count} indices but there are {traces.Length} traces.", nameof(queue));
        var model = new HhVectorModel(_protocol.ParametersFor(0, 0));
        var controller = new LanePiController(_ctl);
        Span<Vector256<double>> k = stackalloc Vector256<double>[_tab.Stages * 4];
        Span<double> q = stackalloc double[4 * Lanes];
        var book = new LaneBook(_sampleTimes.Length);
        var x = new LaneVectors();
        var run = new RunContext(traces, queue, completed);

        for (int l = 0; l < Lanes; l++)
            LoadNext(ref x, k, book, in run, l);

        var maxStep = Vector256.Create(_options.MaxStep);
        while (book.ActiveBits != 0)
        {
            // Each lane's step: its proposal, stretched by up to 1% to land on its next stop instead of leaving a
            // sliver (as DOPRI5 does).
            var hTry = Vector256.Min(x.H, maxStep);
            var lands = Vector256.GreaterThanOrEqual(x.T + Vector256.Create(1.01) * hTry, x.SegEnd);
            var step = Vector256.ConditionalSelect(lands, x.SegEnd - x.T, hTry);

            Attempt(model, k, new LaneState(x.V, x.N, x.M, x.Hg), x.GK, x.GNa, x.Current, step, out var y, out var norm, out var finite);
            var accept = controller.Decide(norm, finite, ref x.LogPrevErr, ref x.LastRejected, out var factor);
            x.Attempts += Vector256<double>.One;
            x.Accepted += Vector256<double>.One & accept;
            x.NonFiniteRun = Vector256.ConditionalSelect(finite, Vector256<double>.Zero, x.NonFiniteRun + Vector256<double>.One);

            var tNew = Vector256.ConditionalSelect(lands, x.SegEnd, x.T + step);
            uint acceptBits = accept.ExtractMostSignificantBits() & book.ActiveBits;
            if (acceptBits != 0)
                Sample(k, q, book, acceptBits, x.T, step, tNew, x.V, y.V);
            Advance(ref x, k, accept, y, tNew, step * factor);

            // Lane events (a few per trace): landing on a stop time, or a lane that may not go on (StepLimits).
            var mayStop = Vector256.LessThan(Vector256.Min(x.H, maxStep), StepLimits.MinStep(x.T))
                | Vector256.GreaterThanOrEqual(x.Attempts, Vector256.Create((double)_options.MaxSteps))
                | Vector256.GreaterThan(x.NonFiniteRun, Vector256.Create((double)StepLimits.MaxNonFiniteAttempts));
            uint landBits = (accept & lands).ExtractMostSignificantBits();
            uint eventBits = (landBits | mayStop.ExtractMostSignificantBits()) & book.ActiveBits;
            if (eventBits != 0)
                HandleEvents(ref x, k, book, in run, eventBits, landBits);
        }
    }
}
