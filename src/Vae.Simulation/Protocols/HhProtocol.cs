using Vae.Simulation.HodgkinHuxley;

namespace Vae.Simulation.Protocols;

/// <summary>
/// Everything that defines a simulated HH dataset except the random draws: the cell is started at rest at
/// <see cref="InitialVoltage"/>, integrated for <see cref="EquilibrationMs"/> without input, then recorded for
/// <see cref="ScalingWindowMs"/> on a grid of <see cref="OutputDtMs"/>; a current step of
/// <see cref="StimulusAmplitude"/> starts <see cref="StimulusOnsetMs"/> after recording starts and lasts
/// <see cref="StimulusDurationMs"/>. Each trace is min-max scaled over the scaling window and its first
/// <see cref="RecordingMs"/> are kept. gK and gNa are drawn per trace from their ranges; the other constants
/// are <see cref="Membrane"/> with the leak reversal <see cref="LeakReversal"/>.
/// </summary>
public sealed record HhProtocol
{
    /// <summary>Name used on the command line and stored in dataset files.</summary>
    public required string Name { get; init; }
    /// <summary>Duration without stimulus before recording starts (ms), so traces start from each cell's own rest.</summary>
    public required double EquilibrationMs { get; init; }
    /// <summary>Length of the trace kept in the dataset (ms), starting when recording starts.</summary>
    public required double RecordingMs { get; init; }
    /// <summary>Length of the recorded window over which min and max are taken (ms); at least <see cref="RecordingMs"/>.</summary>
    public required double ScalingWindowMs { get; init; }
    /// <summary>Spacing of the output grid (ms).</summary>
    public required double OutputDtMs { get; init; }
    /// <summary>Stimulus step amplitude (uA/cm2).</summary>
    public required double StimulusAmplitude { get; init; }
    /// <summary>Stimulus onset, relative to the start of recording (ms).</summary>
    public required double StimulusOnsetMs { get; init; }
    /// <summary>How long the stimulus stays on (ms); infinity when it stays on to the end.</summary>
    public double StimulusDurationMs { get; init; } = double.PositiveInfinity;
    /// <summary>Range of the maximal potassium conductance gK (mS/cm2).</summary>
    public required ValueRange GkRange { get; init; }
    /// <summary>Range of the maximal sodium conductance gNa (mS/cm2).</summary>
    public required ValueRange GnaRange { get; init; }
    /// <summary>Leak reversal potential EL (mV).</summary>
    public required double LeakReversal { get; init; }
    /// <summary>Voltage at which the cell starts, with gates at their steady state for it (mV).</summary>
    public double InitialVoltage { get; init; } = -65.0;
    /// <summary>Cm, gL, EK and ENa (gK, gNa and EL are replaced per trace and by <see cref="LeakReversal"/>).</summary>
    public HhParameters Membrane { get; init; } = HhParameters.Standard;

    /// <summary>
    /// The report's protocol: gK ~ U(26, 46), gNa ~ U(110, 130), 200 ms at I = 0, then 50 ms recorded on a
    /// 0.01 ms grid (5,000 samples) with a 15 uA/cm2 step from 10 ms on; scaled over those 50 ms.
    /// </summary>
    public static HhProtocol Report { get; } = new()
    {
        Name = "report",
        EquilibrationMs = 200,
        RecordingMs = 50,
        ScalingWindowMs = 50,
        OutputDtMs = 0.01,
        StimulusAmplitude = 15,
        StimulusOnsetMs = 10,
        GkRange = new(26, 46),
        GnaRange = new(110, 130),
        LeakReversal = -54.4,
    };

    /// <summary>Membrane area of the original code's single compartment: length 100 um, diameter 500 um, in cm2.</summary>
    public static double SeedCodeAreaCm2 { get; } = Math.PI * 500e-4 * 100e-4;

    /// <summary>
    /// What the original code simulated: 15 nA over the compartment's area (about 9.549 uA/cm2) from 10 ms into a
    /// 100 ms recording that starts at rest (no equilibration), EL = -54.3 mV, scaled over the 100 ms and cut to
    /// the first 50 ms. The original's backward-Euler integration is replaced by this library's accurate one.
    /// </summary>
    public static HhProtocol SeedCode { get; } = Report with
    {
        Name = "seed-code",
        EquilibrationMs = 0,
        ScalingWindowMs = 100,
        // 15 nA = 15e-3 uA spread over the membrane area.
        StimulusAmplitude = 15e-3 / SeedCodeAreaCm2,
        LeakReversal = -54.3,
    };

    /// <summary>
    /// The report's Figure 2.6: standard parameters, 10 uA/cm2 from 10 to 50 ms over 60 ms, sampled every 0.025 ms.
    /// </summary>
    public static HhProtocol Figure26 { get; } = new()
    {
        Name = "figure-2.6",
        EquilibrationMs = 0,
        RecordingMs = 60,
        ScalingWindowMs = 60,
        OutputDtMs = 0.025,
        StimulusAmplitude = 10,
        StimulusOnsetMs = 10,
        StimulusDurationMs = 40,
        GkRange = new(36, 36),
        GnaRange = new(120, 120),
        LeakReversal = -54.4,
    };

    /// <summary>The named protocols.</summary>
    public static IReadOnlyList<HhProtocol> All { get; } = [Report, SeedCode, Figure26];

    /// <summary>The protocol with this name; throws <see cref="SimulationInputException"/> listing the names otherwise.</summary>
    public static HhProtocol FromName(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new SimulationInputException($"unknown protocol '{name}'; use one of {string.Join(", ", All.Select(p => p.Name))}.");

    /// <summary>Samples kept per trace: <see cref="RecordingMs"/> / <see cref="OutputDtMs"/>.</summary>
    public int SampleCount => (int)Math.Round(RecordingMs / OutputDtMs);
    /// <summary>Samples simulated and used for scaling: <see cref="ScalingWindowMs"/> / <see cref="OutputDtMs"/>.</summary>
    public int ScalingSampleCount => (int)Math.Round(ScalingWindowMs / OutputDtMs);
    /// <summary>Absolute time (from the start of integration) at which recording starts.</summary>
    public double RecordingStart => EquilibrationMs;
    /// <summary>Absolute time at which integration ends.</summary>
    public double EndTime => EquilibrationMs + ScalingWindowMs;
    /// <summary>The stimulus in absolute time.</summary>
    public StepCurrent Stimulus => new(StimulusAmplitude, EquilibrationMs + StimulusOnsetMs, EquilibrationMs + StimulusOnsetMs + StimulusDurationMs);
    /// <summary>Absolute time of output sample <paramref name="i"/>.</summary>
    public double SampleTime(int i) => EquilibrationMs + i * OutputDtMs;
    /// <summary>Sample times relative to the start of recording, for the kept trace (ms).</summary>
    public double[] TimeAxis() => Enumerable.Range(0, SampleCount).Select(i => i * OutputDtMs).ToArray();
    /// <summary>The full parameter set of a trace with these conductances.</summary>
    public HhParameters ParametersFor(double gK, double gNa) => Membrane with { GK = gK, GNa = gNa, EL = LeakReversal };

    /// <summary>Throws <see cref="SimulationInputException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message) { if (!ok) throw new SimulationInputException(message); }
        static bool Finite(double x) => double.IsFinite(x);
        Require(!string.IsNullOrWhiteSpace(Name), "the protocol needs a name.");
        Require(EquilibrationMs >= 0 && Finite(EquilibrationMs), $"equilibration must be a finite duration >= 0 ms, got {EquilibrationMs}.");
        Require(RecordingMs > 0 && Finite(RecordingMs), $"recording must be a finite duration > 0 ms, got {RecordingMs}.");
        Require(OutputDtMs > 0 && OutputDtMs <= RecordingMs, $"output dt must be > 0 and at most the recording length, got {OutputDtMs}.");
        Require(ScalingWindowMs >= RecordingMs && Finite(ScalingWindowMs), $"scaling window ({ScalingWindowMs} ms) must be finite and at least the "
            + $"recording ({RecordingMs} ms).");
        Require(IsWhole(RecordingMs / OutputDtMs) && IsWhole(ScalingWindowMs / OutputDtMs),
            $"recording ({RecordingMs} ms) and scaling window ({ScalingWindowMs} ms) must be whole multiples of dt ({OutputDtMs} ms).");
        Require(Finite(StimulusAmplitude), $"stimulus amplitude must be finite, got {StimulusAmplitude}.");
        Require(StimulusOnsetMs >= 0 && Finite(StimulusOnsetMs), $"stimulus onset must be a finite time >= 0 ms, got {StimulusOnsetMs}.");
        Require(StimulusDurationMs > 0, $"stimulus duration must be > 0 ms, got {StimulusDurationMs}.");
        foreach (var (name, r) in new[] { ("gK", GkRange), ("gNa", GnaRange) })
            Require(r.Min >= 0 && r.Max >= r.Min && Finite(r.Max), $"{name} range must satisfy 0 <= min <= max < infinity, got [{r.Min}, {r.Max}].");
        Require(Finite(InitialVoltage), $"initial voltage must be finite, got {InitialVoltage}.");
        ParametersFor(GkRange.Min, GnaRange.Min).Validate();
    }

    private static bool IsWhole(double x) => Math.Abs(x - Math.Round(x)) < 1e-6 && x >= 1;

    /// <summary>Every field as (name, value) pairs, numbers as doubles, for file attributes and summaries.</summary>
    public IReadOnlyList<(string Name, object Value)> Describe() =>
    [
        ("name", Name), ("equilibration_ms", EquilibrationMs), ("recording_ms", RecordingMs),
        ("scaling_window_ms", ScalingWindowMs), ("dt_ms", OutputDtMs),
        ("stimulus_uA_per_cm2", StimulusAmplitude), ("stimulus_onset_ms", StimulusOnsetMs),
        ("stimulus_duration_ms", StimulusDurationMs), ("gK_min", GkRange.Min), ("gK_max", GkRange.Max),
        ("gNa_min", GnaRange.Min), ("gNa_max", GnaRange.Max), ("EL_mV", LeakReversal),
        ("initial_voltage_mV", InitialVoltage), ("Cm_uF_per_cm2", Membrane.Cm), ("gL_mS_per_cm2", Membrane.GL),
        ("EK_mV", Membrane.EK), ("ENa_mV", Membrane.ENa),
    ];
}
