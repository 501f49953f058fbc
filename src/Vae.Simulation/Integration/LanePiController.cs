using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Vae.Simulation.Numerics;

namespace Vae.Simulation.Integration;

/// <summary>
/// <see cref="PiControllerState.Next"/> in the four lanes of a <see cref="Vector256{T}"/>, each lane its own solve:
/// the same acceptance (error norm &lt;= 1 and a finite state), gains, clamps, no growth right after a rejection and
/// hardest shrink after a non-finite attempt. <c>err^-IntegralGain * errPrev^ProportionalGain</c> is one lane-local
/// exponential of logarithms, so each lane keeps the log of its previous error (floored at
/// <see cref="PiControllerState.ErrorFloor"/>) and its last-rejected flag as a mask.
/// </summary>
public readonly struct LanePiController
{
    private readonly Vector256<double> _safety, _minFactor, _maxFactor, _negIntegralGain, _proportionalGain, _logFloor;

    /// <summary>The controller of <paramref name="config"/> in every lane.</summary>
    public LanePiController(PiControllerConfig config)
    {
        _safety = Vector256.Create(config.Safety);
        _minFactor = Vector256.Create(config.MinFactor);
        _maxFactor = Vector256.Create(config.MaxFactor);
        _negIntegralGain = Vector256.Create(-config.IntegralGain);
        _proportionalGain = Vector256.Create(config.ProportionalGain);
        _logFloor = Vector256.Create(InitialLogPreviousError);
    }

    /// <summary>A lane's log of the previous error at the start of its solve.</summary>
    public static double InitialLogPreviousError { get; } = Math.Log(PiControllerState.ErrorFloor);

    /// <summary>
    /// Decides every lane's attempt with error norm <paramref name="norm"/> (<paramref name="finite"/>: all-ones
    /// where the attempt's state and norm are finite); returns the acceptance mask and the factor for each lane's
    /// next step, and updates the lanes' memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Decide(Vector256<double> norm, Vector256<double> finite, ref Vector256<double> logPreviousError,
        ref Vector256<double> lastRejected, out Vector256<double> factor)
    {
        var one = Vector256<double>.One;
        // NaN <= 1 is false, so a non-finite norm is rejected; a rejection ignores the previous error.
        var accept = Vector256.LessThanOrEqual(norm, one) & finite;
        var logNorm = VectorMath.Log(Vector256.Max(norm, Vector256.Create(1e-300)));
        var fac = _safety * VectorMath.Exp(Vector256.FusedMultiplyAdd(_negIntegralGain, logNorm, _proportionalGain * logPreviousError & accept));
        var grow = Vector256.Min(Vector256.Max(fac, _minFactor), _maxFactor);
        grow = Vector256.ConditionalSelect(lastRejected, Vector256.Min(grow, one), grow);
        var shrink = Vector256.ConditionalSelect(finite, Vector256.Max(Vector256.Min(fac, one), _minFactor), _minFactor);
        factor = Vector256.ConditionalSelect(accept, grow, shrink);
        logPreviousError = Vector256.ConditionalSelect(accept, Vector256.Max(logNorm, _logFloor), logPreviousError);
        lastRejected = ~accept;
        return accept;
    }
}
