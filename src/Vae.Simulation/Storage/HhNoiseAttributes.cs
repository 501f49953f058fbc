using System.Globalization;
using Vae.Simulation.Noise;

namespace Vae.Simulation.Storage;

/// <summary>
/// The root attributes that say which noise made a dataset file (<see cref="HhNoise"/>): written only when there is
/// noise, so a noise-free file is byte for byte what it was before noise existed, and read back as
/// <see cref="HhNoise.None"/> when absent. The writer and the readers spell them from here.
/// </summary>
public static class HhNoiseAttributes
{
    /// <summary>float64: standard deviation of the measurement noise (mV).</summary>
    public const string MeasurementSigma = "noise_measurement_sigma_mV";
    /// <summary>float64: correlation time of the measurement noise (ms); 0 = white.</summary>
    public const string MeasurementTau = "noise_measurement_tau_ms";
    /// <summary>float64: intensity of the noise current (uA/cm2 sqrt(ms)).</summary>
    public const string IntrinsicSigma = "noise_intrinsic_sigma_uA_per_cm2_sqrt_ms";
    /// <summary>float64: correlation time of the noise current (ms); 0 = white.</summary>
    public const string IntrinsicTau = "noise_intrinsic_tau_ms";
    /// <summary>float64: the Euler-Maruyama step (ms).</summary>
    public const string Step = "noise_sde_step_ms";
    /// <summary>string: the noise seed in decimal (a string, as <see cref="HhFileLayout.SeedAttribute"/> is).</summary>
    public const string Seed = "noise_seed";

    /// <summary>The attributes of <paramref name="noise"/>, in the order they are written; none for no noise.</summary>
    public static IReadOnlyList<(string Name, object Value)> Of(HhNoise noise) => noise.IsNone ? [] :
    [
        (MeasurementSigma, noise.MeasurementSigmaMv), (MeasurementTau, noise.MeasurementTauMs),
        (IntrinsicSigma, noise.IntrinsicSigma), (IntrinsicTau, noise.IntrinsicTauMs), (Step, noise.StepMs),
        (Seed, noise.Seed.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>
    /// The noise that <paramref name="attribute"/> (an attribute's value by name, null when absent) describes;
    /// <see cref="HhNoise.None"/> when it has none. A partial or malformed set is <see cref="InvalidDataException"/>.
    /// </summary>
    public static HhNoise Read(Func<string, object?> attribute)
    {
        if (attribute(MeasurementSigma) is null && attribute(IntrinsicSigma) is null)
            return HhNoise.None;
        double Number(string name) => attribute(name) is double d ? d
            : throw new InvalidDataException($"noise attribute {name} is missing or not a float64.");
        var seed = attribute(Seed) is string s && ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw new InvalidDataException($"noise attribute {Seed} is missing or not a decimal string.");
        return new HhNoise(Number(MeasurementSigma), Number(MeasurementTau), Number(IntrinsicSigma), Number(IntrinsicTau), Number(Step), seed);
    }

    /// <summary>The noise of a list of attributes as the writer is given them.</summary>
    public static HhNoise Read(IEnumerable<(string Name, object Value)> attributes)
    {
        var all = attributes.Where(a => a.Name.StartsWith("noise_", StringComparison.Ordinal)).ToDictionary(a => a.Name, a => a.Value);
        return Read(name => all.GetValueOrDefault(name));
    }
}
