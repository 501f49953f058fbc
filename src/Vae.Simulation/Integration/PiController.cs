namespace Vae.Simulation.Integration;

/// <summary>
/// Settings of the proportional-integral step-size controller (Gustafsson 1988; Hairer and Wanner's DOPRI5):
/// <c>h_new = h * clamp(Safety * err^-IntegralGain * errPrev^ProportionalGain, MinFactor, MaxFactor)</c>.
/// </summary>
/// <param name="Safety">Fraction of the asymptotically optimal step actually taken.</param>
/// <param name="MinFactor">Smallest allowed ratio of new to old step.</param>
/// <param name="MaxFactor">Largest allowed ratio of new to old step.</param>
/// <param name="IntegralGain">Exponent of the current error norm.</param>
/// <param name="ProportionalGain">Exponent of the previous accepted error norm; 0 gives the classic I controller.</param>
public sealed record PiControllerConfig(double Safety, double MinFactor, double MaxFactor, double IntegralGain, double ProportionalGain)
{
    /// <summary>
    /// Gains for an error estimate of order <paramref name="errorOrder"/>: proportional gain <c>0.2/(q+1)</c> and
    /// integral gain <c>1/(q+1) - 0.75 * proportional</c>; for q = 4 these are DOPRI5's 0.04 and 0.17.
    /// </summary>
    public static PiControllerConfig ForErrorOrder(int errorOrder)
    {
        double q1 = errorOrder + 1;
        double beta2 = 0.2 / q1;
        return new PiControllerConfig(0.9, 0.2, 10.0, 1.0 / q1 - 0.75 * beta2, beta2);
    }

    /// <summary>Throws <see cref="SimulationInputException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (!(Safety > 0 && Safety <= 1)) throw new SimulationInputException($"controller safety must be in (0, 1], got {Safety}.");
        if (!(MinFactor > 0 && MinFactor < 1)) throw new SimulationInputException($"controller minimum factor must be in (0, 1), got {MinFactor}.");
        if (!(MaxFactor > 1) || double.IsInfinity(MaxFactor)) throw new SimulationInputException("controller maximum factor must be finite "
            + $"and > 1, got {MaxFactor}.");
        if (!(IntegralGain > 0)) throw new SimulationInputException($"controller integral gain must be > 0, got {IntegralGain}.");
        if (!(ProportionalGain >= 0)) throw new SimulationInputException($"controller proportional gain must be >= 0, got {ProportionalGain}.");
    }
}

/// <summary>Per-solve memory of the PI controller; starts fresh for every solve.</summary>
public struct PiControllerState
{
    /// <summary>Floor of the remembered error norm, and its value at the start of a solve (as in DOPRI5).</summary>
    public const double ErrorFloor = 1e-4;

    /// <summary>The error norm of the last accepted step (floored at <see cref="ErrorFloor"/>).</summary>
    public double PreviousError;
    /// <summary>Whether the last attempt was rejected; the step that follows a rejection may not grow.</summary>
    public bool LastRejected;

    /// <summary>The state at the start of a solve.</summary>
    public static PiControllerState Initial => new() { PreviousError = ErrorFloor, LastRejected = false };

    /// <summary>
    /// Decides on the attempt with scaled error norm <paramref name="error"/> (accept when &lt;= 1) and returns the
    /// factor by which to multiply the step for the next attempt.
    /// </summary>
    public double Next(PiControllerConfig config, double error, out bool accepted)
    {
        if (error <= 1.0)
        {
            double factor = error == 0
                ? config.MaxFactor
                : config.Safety * Math.Pow(error, -config.IntegralGain) * Math.Pow(PreviousError, config.ProportionalGain);
            factor = Math.Clamp(factor, config.MinFactor, config.MaxFactor);
            if (LastRejected)
                factor = Math.Min(1.0, factor);
            PreviousError = Math.Max(error, ErrorFloor);
            LastRejected = false;
            accepted = true;
            return factor;
        }
        accepted = false;
        LastRejected = true;
        // A NaN error shrinks the step as much as allowed; the driver stops on non-finite states.
        double shrink = double.IsNaN(error) ? config.MinFactor : config.Safety * Math.Pow(error, -config.IntegralGain);
        return Math.Max(config.MinFactor, shrink);
    }
}
