using System.CommandLine;
using Vae.Runs.Settings;
using Vae.Simulation.Noise;

namespace Vae.Host.Cli;

/// <summary>
/// `simulate`'s noise options: measurement noise on V and a noise current, each white or coloured (OU), the step of
/// the stochastic integrator and the noise seed. Values the ranges allow but the protocol does not (a step that does
/// not divide its grid) are refused by <see cref="HhNoise.Validate"/>, as the same one-line error.
/// </summary>
public sealed class NoiseOptions
{
    /// <summary>`--noise-sigma`: measurement noise (mV).</summary>
    public RangedOption<double> MeasurementSigma { get; } = NumericOption.WithDefault("--noise-sigma", SettingRanges.MeasurementNoise, 0.0,
        "Measurement noise: standard deviation (mV) of Gaussian noise added to the recorded voltage before scaling; 0 = none.");

    /// <summary>`--noise-tau`: correlation time of the measurement noise (ms).</summary>
    public RangedOption<double> MeasurementTau { get; } = NumericOption.WithDefault("--noise-tau", SettingRanges.NoiseTau, 0.0,
        "Correlation time (ms) of the measurement noise, an Ornstein-Uhlenbeck process; 0 = white.");

    /// <summary>`--intrinsic-sigma`: intensity of the noise current.</summary>
    public RangedOption<double> IntrinsicSigma { get; } = NumericOption.WithDefault("--intrinsic-sigma", SettingRanges.IntrinsicNoise, 0.0,
        "Intrinsic noise: a noise current sigma_I dW in the voltage equation (uA/cm2 sqrt(ms)), integrated by Euler-Maruyama; 0 = none.");

    /// <summary>`--intrinsic-tau`: correlation time of the noise current (ms).</summary>
    public RangedOption<double> IntrinsicTau { get; } = NumericOption.WithDefault("--intrinsic-tau", SettingRanges.NoiseTau, 0.0,
        "Correlation time (ms) of the noise current, an Ornstein-Uhlenbeck current; 0 = white.");

    /// <summary>`--sde-step`: the Euler-Maruyama step (ms).</summary>
    public RangedOption<double> Step { get; } = NumericOption.WithDefault("--sde-step", SettingRanges.SdeStep, HhNoise.DefaultStepMs,
        "Fixed step (ms) of the Euler-Maruyama integrator used with intrinsic noise; must divide the output grid.");

    /// <summary>`--noise-seed`: the seed of every noise draw.</summary>
    public RangedOption<long?> Seed { get; } = NumericOption.Optional("--noise-seed", SettingRanges.Seed,
        "Seed of the noise: trace i's noise depends only on (noise seed, i). Default: --seed.");

    /// <summary>Every option, to add to a command.</summary>
    public IEnumerable<Option> All => [MeasurementSigma, MeasurementTau, IntrinsicSigma, IntrinsicTau, Step, Seed];

    /// <summary>The noise the options ask for; <paramref name="datasetSeed"/> when no noise seed is given.</summary>
    public HhNoise Read(ParseResult parse, ulong datasetSeed)
    {
        var noise = new HhNoise(parse.GetValue(MeasurementSigma), parse.GetValue(MeasurementTau), parse.GetValue(IntrinsicSigma),
            parse.GetValue(IntrinsicTau), parse.GetValue(Step), parse.GetValue(Seed) is long s ? (ulong)s : datasetSeed);
        return noise.IsNone ? HhNoise.None : noise;
    }
}
