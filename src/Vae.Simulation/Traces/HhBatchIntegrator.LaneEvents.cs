using System.Numerics;
using System.Runtime.Intrinsics;
using Vae.Simulation.HodgkinHuxley;
using Vae.Simulation.Integration;

namespace Vae.Simulation.Traces;

// The life of a lane: loading a trace, restarting at a stimulus edge, stopping and reporting a finished trace.
public sealed partial class HhBatchIntegrator
{
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
}
