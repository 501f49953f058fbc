using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Vae.Simulation.HodgkinHuxley;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;

namespace Vae.Simulation.Traces;

/// <summary>Receives a finished trace: its index, its voltage over the scaling window (mV; valid only during the call) and how its solve ended.</summary>
public delegate void TraceCompleted(int index, ReadOnlySpan<double> voltage, SolveResult result);

/// <summary>
/// Integrates many HH traces of one protocol on one thread, four at a time in the lanes of <see cref="Vector256{T}"/>.
/// Each lane has its own time, step size, controller state and stop times, so a trace's result does not depend on
/// which traces share its lanes (or on thread count); a lane that finishes takes the next trace at once. The same
/// tableau, stop-and-restart at the stimulus edges and stopping rule (<see cref="StepLimits"/>) as
/// <see cref="OdeSolver"/>, its PI control and dense output lane-wise (<see cref="LanePiController"/>,
/// <see cref="LaneDenseOutput"/>); only V is sampled.
/// </summary>
public sealed class HhBatchIntegrator
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
            throw new SimulationInputException($"the batch integrator needs a first-same-as-last tableau with cubic or quartic dense output; {options.Tableau.Name} is not.");
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

    /// <summary>The stages of one attempt in every lane: the new state (first same as last: the last stage's) and its scaled error norm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Attempt(in HhVectorModel model, Span<Vector256<double>> k, LaneState y0, Vector256<double> gK, Vector256<double> gNa,
        Vector256<double> current, Vector256<double> step,
        out LaneState y, out Vector256<double> norm, out Vector256<double> finite)
    {
        int s = _tab.Stages;
        var a = _tab.A;
        var zero = Vector256<double>.Zero;
        Vector256<double> v = y0.V, n = y0.N, m = y0.M, hg = y0.H;
        // Stages 1..s-1; the last stage's state is the new solution (its A row is B).
        Vector256<double> yv = v, yn = n, ym = m, yh = hg;
        for (int i = 1; i < s; i++)
        {
            var (sv, sn, sm, sh) = WeightedSum(a[i], k);
            yv = Vector256.FusedMultiplyAdd(step, sv, v);
            yn = Vector256.FusedMultiplyAdd(step, sn, n);
            ym = Vector256.FusedMultiplyAdd(step, sm, m);
            yh = Vector256.FusedMultiplyAdd(step, sh, hg);
            model.Evaluate(gK, gNa, current, yv, yn, ym, yh, out k[4 * i], out k[4 * i + 1], out k[4 * i + 2], out k[4 * i + 3]);
        }

        // ErrorNorm.Rms lane-wise.
        var (ev, en, em, eh) = WeightedSum(_tab.E, k);
        var rtol = Vector256.Create(_options.RelativeTolerance);
        var atol = Vector256.Create(_options.AbsoluteTolerance);
        var rv = ev / (atol + rtol * Vector256.Max(Vector256.Abs(v), Vector256.Abs(yv)));
        var rn = en / (atol + rtol * Vector256.Max(Vector256.Abs(n), Vector256.Abs(yn)));
        var rm = em / (atol + rtol * Vector256.Max(Vector256.Abs(m), Vector256.Abs(ym)));
        var rh = eh / (atol + rtol * Vector256.Max(Vector256.Abs(hg), Vector256.Abs(yh)));
        norm = step * Vector256.Sqrt((rv * rv + rn * rn + rm * rm + rh * rh) * Vector256.Create(0.25));
        // A NaN or infinite state or norm gives a non-zero (x - x).
        finite = Vector256.Equals((norm - norm) + (yv - yv) + (yn - yn) + (ym - ym) + (yh - yh), zero);
        y = new LaneState(yv, yn, ym, yh);
    }

    /// <summary>Sum over stages j of <c>w[j] * k_j</c> for each of V, n, m, h, in stage order, skipping zero weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> V, Vector256<double> N, Vector256<double> M, Vector256<double> H) WeightedSum(
        double[] w, Span<Vector256<double>> k)
    {
        Vector256<double> sv = Vector256<double>.Zero, sn = sv, sm = sv, sh = sv;
        for (int j = 0; j < w.Length; j++)
        {
            if (w[j] == 0) continue;
            var wj = Vector256.Create(w[j]);
            sv = Vector256.FusedMultiplyAdd(wj, k[4 * j], sv);
            sn = Vector256.FusedMultiplyAdd(wj, k[4 * j + 1], sn);
            sm = Vector256.FusedMultiplyAdd(wj, k[4 * j + 2], sm);
            sh = Vector256.FusedMultiplyAdd(wj, k[4 * j + 3], sh);
        }
        return (sv, sn, sm, sh);
    }

    /// <summary>Samples V of every accepted lane's step onto the output grid with the tableau's dense output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Sample(Span<Vector256<double>> k, Span<double> q, LaneBook book, uint acceptBits,
        Vector256<double> t, Vector256<double> step, Vector256<double> tNew, Vector256<double> v, Vector256<double> yv)
    {
        LaneDenseOutput.Coefficients(_tab, k, 4, HhSystem.V, q);
        int degree = _tab.DenseDegree;
        for (uint bitsLeft = acceptBits; bitsLeft != 0; bitsLeft &= bitsLeft - 1)
        {
            int l = BitOperations.TrailingZeroCount(bitsLeft);
            var piece = LaneDenseStep.Of(l, t[l], step[l], tNew[l], v[l], yv[l], q, degree);
            book.OutIndex[l] = piece.Fill(_sampleTimes, book.Buffers[l], book.OutIndex[l]);
        }
    }

    /// <summary>Moves accepted lanes to their new state and first stage (first same as last); sets every lane's next step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(ref LaneVectors x, Span<Vector256<double>> k, Vector256<double> accept, in LaneState y,
        Vector256<double> tNew, Vector256<double> nextStep)
    {
        x.V = Vector256.ConditionalSelect(accept, y.V, x.V);
        x.N = Vector256.ConditionalSelect(accept, y.N, x.N);
        x.M = Vector256.ConditionalSelect(accept, y.M, x.M);
        x.Hg = Vector256.ConditionalSelect(accept, y.H, x.Hg);
        x.T = Vector256.ConditionalSelect(accept, tNew, x.T);
        int last = 4 * (_tab.Stages - 1);
        k[0] = Vector256.ConditionalSelect(accept, k[last], k[0]);
        k[1] = Vector256.ConditionalSelect(accept, k[last + 1], k[1]);
        k[2] = Vector256.ConditionalSelect(accept, k[last + 2], k[2]);
        k[3] = Vector256.ConditionalSelect(accept, k[last + 3], k[3]);
        x.H = nextStep;
    }

    /// <summary>
    /// Lanes that landed on a stop time restart there (a stimulus edge) or finish (the end); lanes that may not go
    /// on (<see cref="StepLimits.Stop"/>, the rule <see cref="OdeSolver"/> applies) fail. A lane that is done takes
    /// the next trace.
    /// </summary>
    private void HandleEvents(ref LaneVectors x, Span<Vector256<double>> k, LaneBook book, in RunContext run, uint eventBits, uint landBits)
    {
        for (; eventBits != 0; eventBits &= eventBits - 1)
        {
            int l = BitOperations.TrailingZeroCount(eventBits);
            ReturnCode? code;
            if ((landBits & (1u << l)) == 0)
                code = LaneStop(in x, l);
            else if (book.Segment[l] + 1 < _segmentEnds.Length)
            {
                Restart(ref x, k, book, run.Traces, l);
                code = LaneStop(in x, l);
            }
            else
                code = ReturnCode.Success;
            if (code is { } done)
            {
                Complete(in x, book, in run, l, done);
                LoadNext(ref x, k, book, in run, l);
            }
        }
    }

    private ReturnCode? LaneStop(in LaneVectors x, int lane) =>
        StepLimits.Stop((long)x.Attempts[lane], _options.MaxSteps, Math.Min(x.H[lane], _options.MaxStep), x.T[lane], (int)x.NonFiniteRun[lane]);

    private void Complete(in LaneVectors x, LaneBook book, in RunContext run, int lane, ReturnCode code)
    {
        var stats = new SolveStatistics
        {
            RhsEvaluations = book.ExtraEvaluations[lane] + (_tab.Stages - 1) * (long)x.Attempts[lane],
            AcceptedSteps = (long)x.Accepted[lane],
            RejectedSteps = (long)(x.Attempts[lane] - x.Accepted[lane]),
        };
        run.Completed(book.Trace[lane], book.Buffers[lane], new SolveResult(code, x.T[lane], stats));
    }

    /// <summary>Loads the next trace of the queue into <paramref name="lane"/>, or leaves the lane idle when the queue is empty.</summary>
    private void LoadNext(ref LaneVectors x, Span<Vector256<double>> k, LaneBook book, in RunContext run, int lane)
    {
        while (run.Queue.TryTake(out int index))
        {
            Load(ref x, k, book, run.Traces, lane, index);
            // The rule applies before the first attempt too (an initial step that cannot advance time).
            if (LaneStop(in x, lane) is not { } code)
                return;
            Complete(in x, book, in run, lane, code);
        }
        book.ActiveBits &= ~(1u << lane);
    }

    /// <summary>After landing on a stimulus edge: next segment, new current, fresh f at the edge.</summary>
    private void Restart(ref LaneVectors x, Span<Vector256<double>> k, LaneBook book, ReadOnlySpan<Conductances> traces, int lane)
    {
        int segment = ++book.Segment[lane];
        double t = x.T[lane];
        double current = _protocol.Stimulus.At(t);
        var c = traces[book.Trace[lane]];
        var f0 = book.F0;
        HhSystem.Derivative(_protocol.ParametersFor(c.GK, c.GNa), current, x.V[lane], x.N[lane], x.M[lane], x.Hg[lane], f0);
        book.ExtraEvaluations[lane]++;
        x.Current = x.Current.WithElement(lane, current);
        x.SegEnd = x.SegEnd.WithElement(lane, _segmentEnds[segment]);
        for (int i = 0; i < 4; i++) k[i] = k[i].WithElement(lane, f0[i]);
    }

    /// <summary>Starts trace <paramref name="index"/> in <paramref name="lane"/>: rest state, f, first step, empty counters.</summary>
    private void Load(ref LaneVectors x, Span<Vector256<double>> k, LaneBook book, ReadOnlySpan<Conductances> traces, int lane, int index)
    {
        var c = traces[index];
        var p = _protocol.ParametersFor(c.GK, c.GNa);
        p.Validate();
        var y0 = HhSystem.SteadyStateAt(_protocol.InitialVoltage);
        var system = new HhSystem(p, _protocol.Stimulus);
        system.BeginInterval(0);
        var f0 = book.F0;
        system.Evaluate(0, y0, f0);
        long extra = 1;
        double h0 = _options.InitialStep ?? InitialStep.Select(ref system, 0, y0, f0, _protocol.EndTime, _tab.EmbeddedOrder,
            _options.RelativeTolerance, _options.AbsoluteTolerance, book.Scratch, ref extra);
        book.ExtraEvaluations[lane] = extra;
        book.Trace[lane] = index;
        book.Segment[lane] = 0;
        book.ActiveBits |= 1u << lane;
        int o = 0;
        while (o < _sampleTimes.Length && _sampleTimes[o] <= 0) book.Buffers[lane][o++] = y0[0];
        book.OutIndex[lane] = o;
        x.T = x.T.WithElement(lane, 0.0);
        x.H = x.H.WithElement(lane, h0);
        x.V = x.V.WithElement(lane, y0[0]);
        x.N = x.N.WithElement(lane, y0[1]);
        x.M = x.M.WithElement(lane, y0[2]);
        x.Hg = x.Hg.WithElement(lane, y0[3]);
        for (int i = 0; i < 4; i++) k[i] = k[i].WithElement(lane, f0[i]);
        x.GK = x.GK.WithElement(lane, c.GK);
        x.GNa = x.GNa.WithElement(lane, c.GNa);
        x.Current = x.Current.WithElement(lane, system.Current);
        x.SegEnd = x.SegEnd.WithElement(lane, _segmentEnds[0]);
        x.LogPrevErr = x.LogPrevErr.WithElement(lane, LanePiController.InitialLogPreviousError);
        x.LastRejected = x.LastRejected.WithElement(lane, 0.0);
        x.Attempts = x.Attempts.WithElement(lane, 0.0);
        x.Accepted = x.Accepted.WithElement(lane, 0.0);
        x.NonFiniteRun = x.NonFiniteRun.WithElement(lane, 0.0);
    }

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
