using System.Numerics;
using Vae.Runs.Settings;

namespace Vae.Runs.Settings;

/// <summary>What values a <see cref="TrainConfig"/> allows: one owner for the command line, scripts and stored configs.</summary>
public sealed partial record TrainConfig
{
    /// <summary>
    /// The first setting outside what is allowed (names set, numbers within <see cref="SettingRanges"/>), or null.
    /// Settings are named as config.json names them.
    /// </summary>
    public SettingProblem? FirstProblem()
    {
        static SettingProblem? Named<T>(T? value) where T : SettingName, ISettingNames<T> =>
            value is null ? new SettingProblem(T.Setting, SettingProblem.Quote(null), SettingNames.Choices<T>()) : null;
        static SettingProblem? Within<T>(string setting, T value, NumericRange<T> range) where T : struct, INumber<T> =>
            range.Contains(value) ? null : new SettingProblem(setting, SettingProblem.Quote(value), range.ToString());
        return Named(Dataset)
            ?? Named(Model)
            ?? Named(HhProtocol)
            ?? Named(Scaling)
            ?? (Model is { } m && Dataset is { } d && !m.Fits(d.Kind)
                ? new SettingProblem(ModelFamily.Setting, SettingProblem.Quote(m.Text),
                    $"one of {string.Join(", ", ModelFamily.All.Where(f => f.Fits(d.Kind)))} for {d} data")
                : null)
            ?? Within("latentDim", LatentDim, SettingRanges.LatentDim)
            ?? Within("beta", Beta, SettingRanges.Beta)
            ?? Within("epochs", Epochs, SettingRanges.Epochs)
            ?? Within("batchSize", BatchSize, SettingRanges.BatchSize)
            ?? Within("learningRate", LearningRate, SettingRanges.LearningRate)
            ?? Within("weightDecay", WeightDecay, SettingRanges.WeightDecay)
            ?? Within("seed", Seed, SettingRanges.Seed)
            ?? Within("threshold", Threshold, SettingRanges.Threshold)
            ?? Within("hhCount", HhCount, SettingRanges.TrainingTraces)
            ?? Within("hhSeed", HhSeed, SettingRanges.Seed)
            ?? Within(TrainNoiseSigmaSetting, TrainNoiseSigmaMv, SettingRanges.MeasurementNoise)
            ?? Within(TrainNoiseTauSetting, TrainNoiseTauMs, SettingRanges.NoiseTau)
            ?? (TrainNoiseSigmaMv > 0 && Dataset is { Kind: not DataKind.Traces }
                ? new SettingProblem(TrainNoiseSigmaSetting, SettingProblem.Quote(TrainNoiseSigmaMv),
                    $"0 for {Dataset} data (measurement noise in mV is added to HH traces)")
                : null)
            ?? (TrainNoiseTauMs > 0 && TrainNoiseSigmaMv == 0
                ? new SettingProblem(TrainNoiseTauSetting, SettingProblem.Quote(TrainNoiseTauMs),
                    "0 when the noise's sigma is 0 (no noise to colour)")
                : null)
            ?? (Digits is null || Digits.Length == 0 || Digits.Any(d => d is < 0 or > 9)
                ? new SettingProblem("digits", Digits is null ? "missing" : $"[{string.Join(", ", Digits)}]", "digits 0-9, at least one")
                : null)
            ?? (HhData is { Length: 0 } ? new SettingProblem("hhData", "empty", "a dataset path or null") : null)
            ?? (Likelihood is { } l && !l.Fits(Dataset.Kind)
                ? new SettingProblem(DecoderLikelihood.Setting, SettingProblem.Quote(l.Text),
                    $"one of {string.Join(", ", DecoderLikelihood.All.Where(d => d.Fits(Dataset.Kind)))} for {Dataset} data")
                : null);
    }

    /// <summary>config.json's name of <see cref="TrainNoiseSigmaMv"/>.</summary>
    public const string TrainNoiseSigmaSetting = "trainNoiseSigmaMv";
    /// <summary>config.json's name of <see cref="TrainNoiseTauMs"/>.</summary>
    public const string TrainNoiseTauSetting = "trainNoiseTauMs";

    /// <summary>This config if every setting is allowed; throws <see cref="InvalidSettingException"/> naming the first that is not.</summary>
    public TrainConfig Validate() => FirstProblem() is { } problem ? throw new InvalidSettingException(problem) : this;
}
