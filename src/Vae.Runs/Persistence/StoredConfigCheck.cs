using Vae.Runs.Settings;
using System.Numerics;
using Vae.Runs.Data;
using Vae.Runs.Training;

namespace Vae.Runs.Persistence;

/// <summary>
/// Checks a config read back from a run's config.json against what the command line accepts, so that a file
/// edited by hand or damaged is refused with one line naming the setting, not met deep inside model building.
/// </summary>
public static class StoredConfigCheck
{
    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="path"/> and the first bad setting.</summary>
    public static TrainConfig Checked(TrainConfig cfg, string path)
    {
        void Fail(string setting, object? value, string allowed) =>
            throw new InvalidDataException($"{path}: \"{setting}\" is {Text(value)}, allowed {allowed}; restore the file or train a new run.");
        void OneOf(string setting, string? value, IReadOnlyCollection<string> allowed)
        {
            if (value is null || !allowed.Contains(value))
                Fail(setting, value, string.Join(", ", allowed));
        }
        void Within<T>(string setting, T value, NumericRange<T> range) where T : struct, INumber<T>
        {
            if (!range.Contains(value))
                Fail(setting, value, range.ToString());
        }
        OneOf("dataset", cfg.Dataset, TrainConfig.Datasets);
        OneOf("model", cfg.Model, TrainConfig.Models);
        OneOf("hhProtocol", cfg.HhProtocol, TrainConfig.HhProtocols);
        OneOf("scaling", cfg.Scaling, TraceScaling.Names);
        Within("latentDim", cfg.LatentDim, SettingRanges.LatentDim);
        Within("beta", cfg.Beta, SettingRanges.Beta);
        Within("epochs", cfg.Epochs, SettingRanges.Epochs);
        Within("batchSize", cfg.BatchSize, SettingRanges.BatchSize);
        Within("learningRate", cfg.LearningRate, SettingRanges.LearningRate);
        Within("weightDecay", cfg.WeightDecay, SettingRanges.WeightDecay);
        Within("seed", cfg.Seed, SettingRanges.Seed);
        Within("threshold", cfg.Threshold, SettingRanges.Threshold);
        Within("hhCount", cfg.HhCount, SettingRanges.TrainingTraces);
        Within("hhSeed", cfg.HhSeed, SettingRanges.Seed);
        if (cfg.Digits is null || cfg.Digits.Length == 0 || cfg.Digits.Any(d => d is < 0 or > 9))
            Fail("digits", cfg.Digits is null ? null : $"[{string.Join(", ", cfg.Digits)}]", "digits 0-9, at least one");
        if (cfg.HhData is { Length: 0 })
            Fail("hhData", "empty", "a dataset path or null");
        return cfg;
    }

    private static string Text(object? value) => value switch
    {
        null => "missing",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "missing",
    };
}
