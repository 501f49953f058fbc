namespace Vae.Simulation.Integration;

/// <summary>
/// The adaptive driver: steps with a tableau under PI step-size control, stops exactly at stop times and
/// restarts there (re-evaluating f, so a jump in the forcing is never stepped over), and samples a fixed output
/// grid with the method's dense output.
/// </summary>
public static class OdeSolver
{
    /// <summary>
    /// Integrates <paramref name="system"/> from <c>(t0, y0)</c> to <paramref name="tEnd"/>.
    /// <paramref name="stopTimes"/> (increasing) are discontinuities to land on; those outside (t0, tEnd) are ignored.
    /// <paramref name="outputTimes"/> (increasing, within [t0, tEnd]) are sampled into <paramref name="outputs"/>
    /// row by row (<c>outputTimes.Length x Dimension</c>). <paramref name="yEnd"/> receives the state where the
    /// solve stopped. Invalid arguments throw <see cref="SimulationInputException"/>; numerical failures are
    /// reported in the result's <see cref="SolveResult.Code"/>.
    /// </summary>
    public static SolveResult Solve<TSystem>(ref TSystem system, double t0, ReadOnlySpan<double> y0, double tEnd,
        SolverOptions options, ReadOnlySpan<double> stopTimes, ReadOnlySpan<double> outputTimes, Span<double> outputs,
        Span<double> yEnd)
        where TSystem : IOdeSystem
    {
        options.Validate();
        int n = system.Dimension;
        Check(n, t0, y0, tEnd, stopTimes, outputTimes, outputs, yEnd);
        var tab = options.Tableau;
        var controller = options.EffectiveController;
        double rtol = options.RelativeTolerance, atol = options.AbsoluteTolerance;
        int s = tab.Stages;

        var work = new double[n * (s + 5)];
        var k = work.AsSpan(0, s * n);
        var y = work.AsSpan(s * n, n);
        var yNew = work.AsSpan((s + 1) * n, n);
        var err = work.AsSpan((s + 2) * n, n);
        var scratch = work.AsSpan((s + 3) * n, 2 * n);
        y0.CopyTo(y);

        var stats = new SolveStatistics();
        var ctl = PiControllerState.Initial;
        int outIndex = 0;
        double t = t0;
        double h = options.InitialStep ?? 0;
        int stopIndex = 0;
        int nonFiniteAttempts = 0;
        while (stopIndex < stopTimes.Length && stopTimes[stopIndex] <= t0) stopIndex++;

        while (true)
        {
            double segmentEnd = stopIndex < stopTimes.Length && stopTimes[stopIndex] < tEnd ? stopTimes[stopIndex] : tEnd;
            system.BeginInterval(t);
            system.Evaluate(t, y, k[..n]);
            stats.RhsEvaluations++;
            if (h == 0)
                h = InitialStep.Select(ref system, t, y, k[..n], tEnd - t0, tab.EmbeddedOrder, rtol, atol, scratch, ref stats.RhsEvaluations);
            while (outIndex < outputTimes.Length && outputTimes[outIndex] <= t)
                y.CopyTo(outputs.Slice(outIndex++ * n, n));

            while (t < segmentEnd)
            {
                h = Math.Min(h, options.MaxStep);
                if (StepLimits.Stop(stats.AcceptedSteps + stats.RejectedSteps, options.MaxSteps, h, t, nonFiniteAttempts) is { } stop)
                    return Finish(stop, t, y, yEnd, stats);
                // Stretch by up to 1% to land on the segment end instead of leaving a sliver (as DOPRI5 does).
                bool lands = t + 1.01 * h >= segmentEnd;
                double step = lands ? segmentEnd - t : h;

                stats.RhsEvaluations += RungeKuttaStepper.Step(ref system, tab, t, step, y, k, yNew, err, scratch);
                double norm = ErrorNorm.Rms(err, y, yNew, rtol, atol);
                if (double.IsNaN(norm) || !IsFinite(yNew))
                {
                    // A too-long step can overflow; shrink hard and retry, but a state that stays non-finite is a failure.
                    nonFiniteAttempts++;
                    stats.RejectedSteps++;
                    ctl.LastRejected = true;
                    h = step * controller.MinFactor;
                    continue;
                }
                nonFiniteAttempts = 0;
                double factor = ctl.Next(controller, norm, out bool accepted);
                if (!accepted)
                {
                    stats.RejectedSteps++;
                    h = step * factor;
                    continue;
                }
                stats.AcceptedSteps++;
                double tNew = lands ? segmentEnd : t + step;
                while (outIndex < outputTimes.Length && outputTimes[outIndex] <= tNew)
                {
                    var row = outputs.Slice(outIndex * n, n);
                    double to = outputTimes[outIndex++];
                    if (to == tNew)
                        yNew.CopyTo(row);
                    else
                        DenseOutput.Evaluate(tab, y, k, step, (to - t) / step, row);
                }
                yNew.CopyTo(y);
                t = tNew;
                h = step * factor;
                if (t < segmentEnd)
                {
                    if (tab.IsFsal)
                        k.Slice((s - 1) * n, n).CopyTo(k[..n]);
                    else
                    {
                        system.Evaluate(t, y, k[..n]);
                        stats.RhsEvaluations++;
                    }
                }
            }
            if (segmentEnd >= tEnd)
                return Finish(ReturnCode.Success, t, y, yEnd, stats);
            stopIndex++;
        }
    }

    private static SolveResult Finish(ReturnCode code, double t, ReadOnlySpan<double> y, Span<double> yEnd, SolveStatistics stats)
    {
        y.CopyTo(yEnd);
        return new SolveResult(code, t, stats);
    }

    private static bool IsFinite(ReadOnlySpan<double> v)
    {
        foreach (var x in v)
            if (!double.IsFinite(x)) return false;
        return true;
    }

    private static void Check(int n, double t0, ReadOnlySpan<double> y0, double tEnd, ReadOnlySpan<double> stopTimes,
        ReadOnlySpan<double> outputTimes, Span<double> outputs, Span<double> yEnd)
    {
        if (n < 1) throw new SimulationInputException($"the system must have at least one component, has {n}.");
        if (y0.Length != n || yEnd.Length != n)
            throw new SimulationInputException($"initial and final state must have {n} components, have {y0.Length} and {yEnd.Length}.");
        if (!double.IsFinite(t0) || !double.IsFinite(tEnd) || !(tEnd > t0))
            throw new SimulationInputException($"the end time must be finite and after the start time, got [{t0}, {tEnd}].");
        for (int i = 1; i < stopTimes.Length; i++)
            if (!(stopTimes[i] > stopTimes[i - 1])) throw new SimulationInputException("stop times must be strictly increasing.");
        for (int i = 0; i < outputTimes.Length; i++)
        {
            if (!(outputTimes[i] >= t0 && outputTimes[i] <= tEnd))
                throw new SimulationInputException($"output time {outputTimes[i]} lies outside [{t0}, {tEnd}].");
            if (i > 0 && !(outputTimes[i] >= outputTimes[i - 1]))
                throw new SimulationInputException("output times must be non-decreasing.");
        }
        if (outputs.Length < outputTimes.Length * n)
            throw new SimulationInputException($"the output buffer needs {outputTimes.Length * n} values, has {outputs.Length}.");
        foreach (var v in y0)
            if (!double.IsFinite(v)) throw new SimulationInputException("the initial state must be finite.");
    }
}
