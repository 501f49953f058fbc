using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vae.Simulation.Integration;

/// <summary>
/// When a solve cannot make its next attempt: the one rule that <see cref="OdeSolver"/> and the lane-wise batch
/// integrator both apply before every attempt (and so before the first).
/// </summary>
public static class StepLimits
{
    /// <summary>Consecutive attempts with a non-finite state or error after which a solve gives up.</summary>
    public const int MaxNonFiniteAttempts = 10;

    /// <summary>
    /// The smallest step that still advances time at <paramref name="t"/>: ten units in the last place of |t|
    /// (<c>10 * (BitIncrement(|t|) - |t|)</c>); a step below it is a step-size underflow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MinStep(double t) => 10 * (Math.BitIncrement(Math.Abs(t)) - Math.Abs(t));

    /// <summary>
    /// <see cref="MinStep(double)"/> in every lane, bit for bit, for finite t (the next double above |t| is its
    /// bit pattern plus one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MinStep(Vector256<double> t)
    {
        var a = Vector256.Abs(t);
        return Vector256.Create(10.0) * ((a.AsInt64() + Vector256<long>.One).AsDouble() - a);
    }

    /// <summary>
    /// Why a solve stops before its next attempt, or null if it may go on: more than
    /// <see cref="MaxNonFiniteAttempts"/> non-finite attempts in a row; <paramref name="attempts"/> reaching
    /// <paramref name="maxSteps"/>; or <paramref name="nextStep"/> (already capped by the maximum step) below
    /// <see cref="MinStep(double)"/> at <paramref name="t"/>, reported as a non-finite state when the last
    /// attempts were non-finite (they shrank the step), as an underflow otherwise.
    /// </summary>
    public static ReturnCode? Stop(long attempts, long maxSteps, double nextStep, double t, int nonFiniteRun)
    {
        if (nonFiniteRun > MaxNonFiniteAttempts) return ReturnCode.NonFiniteState;
        if (attempts >= maxSteps) return ReturnCode.MaxStepsExceeded;
        if (nextStep < MinStep(t)) return nonFiniteRun > 0 ? ReturnCode.NonFiniteState : ReturnCode.StepSizeUnderflow;
        return null;
    }
}
