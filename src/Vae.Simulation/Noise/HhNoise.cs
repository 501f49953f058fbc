using System.Globalization;
using Vae.Simulation.Protocols;

namespace Vae.Simulation.Noise;

/// <summary>
/// The noise of a simulated HH dataset. Measurement noise is added to the recorded voltage (mV) before the per-trace
/// scaling: white, or an Ornstein-Uhlenbeck process with correlation time <see cref="MeasurementTauMs"/> and stationary
/// standard deviation <see cref="MeasurementSigmaMv"/>. Intrinsic noise is a current in the voltage equation,
/// <c>Cm dV = (I_ion + I_stim) dt + sigma_I dW</c> (white), or an OU current <c>tau d eta = -eta dt + sigma_I dW</c>
/// (coloured; the same white limit as tau goes to 0), integrated by Euler-Maruyama with step <see cref="StepMs"/>.
/// Every trace's draws depend only on (<see cref="Seed"/>, its row in the whole dataset).
/// </summary>
/// <param name="MeasurementSigmaMv">Standard deviation of the measurement noise (mV); 0 for none.</param>
/// <param name="MeasurementTauMs">Correlation time of the measurement noise (ms); 0 for white.</param>
/// <param name="IntrinsicSigma">Intensity sigma_I of the noise current (uA/cm2 sqrt(ms)); 0 for none.</param>
/// <param name="IntrinsicTauMs">Correlation time of the noise current (ms); 0 for white.</param>
/// <param name="StepMs">Fixed Euler-Maruyama step (ms), used only with intrinsic noise; must divide the output grid.</param>
/// <param name="Seed">Seed of every noise draw.</param>
public sealed record HhNoise(double MeasurementSigmaMv, double MeasurementTauMs, double IntrinsicSigma, double IntrinsicTauMs,
    double StepMs, ulong Seed)
{
    /// <summary>Largest accepted standard deviation of the measurement noise (mV): beyond it a trace is noise, not a spike train.</summary>
    public const double MaxMeasurementSigmaMv = 50;
    /// <summary>Largest accepted intensity of the noise current (uA/cm2 sqrt(ms)): a few already make the cell fire at random.</summary>
    public const double MaxIntrinsicSigma = 50;
    /// <summary>Largest accepted correlation time (ms), longer than any protocol's recording.</summary>
    public const double MaxTauMs = 10_000;
    /// <summary>Smallest accepted step (ms): 0.0001 ms is already 2.5 million steps per report trace.</summary>
    public const double MinStepMs = 1e-4;
    /// <summary>The default Euler-Maruyama step (ms): the report's output grid.</summary>
    public const double DefaultStepMs = 0.01;

    /// <summary>No noise: the deterministic simulator, and files byte for byte as without this record.</summary>
    public static HhNoise None { get; } = new(0, 0, 0, 0, DefaultStepMs, 0);

    /// <summary>True when nothing random is added (both standard deviations are 0).</summary>
    public bool IsNone => MeasurementSigmaMv == 0 && IntrinsicSigma == 0;
    /// <summary>True when measurement noise is added to the recorded voltage.</summary>
    public bool HasMeasurement => MeasurementSigmaMv > 0;
    /// <summary>True when the traces are integrated as an SDE (Euler-Maruyama) instead of by the adaptive ODE solver.</summary>
    public bool HasIntrinsic => IntrinsicSigma > 0;

    /// <summary>Throws <see cref="SimulationInputException"/> naming the first value that is out of range for <paramref name="protocol"/>.</summary>
    public void Validate(HhProtocol protocol)
    {
        static void Require(bool ok, string message) { if (!ok) throw new SimulationInputException(message); }
        Require(MeasurementSigmaMv is >= 0 and <= MaxMeasurementSigmaMv,
            $"measurement noise sigma must be between 0 and {MaxMeasurementSigmaMv} mV, got {MeasurementSigmaMv}.");
        Require(IntrinsicSigma is >= 0 and <= MaxIntrinsicSigma,
            $"intrinsic noise sigma must be between 0 and {MaxIntrinsicSigma} uA/cm2 sqrt(ms), got {IntrinsicSigma}.");
        Require(MeasurementTauMs is >= 0 and <= MaxTauMs, $"measurement noise tau must be between 0 and {MaxTauMs} ms, got {MeasurementTauMs}.");
        Require(IntrinsicTauMs is >= 0 and <= MaxTauMs, $"intrinsic noise tau must be between 0 and {MaxTauMs} ms, got {IntrinsicTauMs}.");
        if (HasIntrinsic)
            ValidateStep(protocol);
    }

    /// <summary>
    /// Throws <see cref="SimulationInputException"/> unless <see cref="StepMs"/> fits <paramref name="protocol"/>'s grid and equilibration.
    /// </summary>
    public void ValidateStep(HhProtocol protocol)
    {
        static void Require(bool ok, string message) { if (!ok) throw new SimulationInputException(message); }
        double dt = protocol.OutputDtMs;
        Require(StepMs >= MinStepMs && StepMs <= dt,
            $"the SDE step must be between {MinStepMs} ms and the output grid's {dt} ms, got {StepMs}.");
        Require(IsWholeMultiple(dt, StepMs), $"the SDE step ({StepMs} ms) must divide the output grid ({dt} ms) a whole number of times.");
        Require(IsWholeMultiple(protocol.EquilibrationMs, StepMs),
            $"the SDE step ({StepMs} ms) must divide the equilibration ({protocol.EquilibrationMs} ms) a whole number of times.");
    }

    /// <summary>SDE steps per output sample: the whole number <c>OutputDtMs / StepMs</c>.</summary>
    public int StepsPerSample(HhProtocol protocol) => (int)Math.Round(protocol.OutputDtMs / StepMs);

    /// <summary>True when <paramref name="length"/> is <paramref name="step"/> times a whole number (0 included), to 1e-9 relative.</summary>
    internal static bool IsWholeMultiple(double length, double step)
    {
        double k = length / step;
        return Math.Abs(k - Math.Round(k)) <= 1e-9 * Math.Max(1, k);
    }

    /// <summary>One line for summaries, e.g. <c>measurement 1 mV white, intrinsic 0.5 uA/cm2 sqrt(ms) tau 2 ms, step 0.01 ms, seed 0</c>.</summary>
    public override string ToString()
    {
        if (IsNone) return "none";
        static string Tau(double tau) => tau > 0 ? string.Create(CultureInfo.InvariantCulture, $"tau {tau:G4} ms") : "white";
        var parts = new List<string>();
        if (HasMeasurement)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"measurement {MeasurementSigmaMv:G4} mV {Tau(MeasurementTauMs)}"));
        if (HasIntrinsic)
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"intrinsic {IntrinsicSigma:G4} uA/cm2 sqrt(ms) {Tau(IntrinsicTauMs)}, Euler-Maruyama step {StepMs:G4} ms"));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"seed {Seed}"));
        return string.Join(", ", parts);
    }
}
