using System.Numerics;
using Vae.Host.Cli;
using Vae.Host.Data;
using Vae.Host.Training;

namespace Vae.Host.Persistence;

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
        Within("latentDim", cfg.LatentDim, OptionRanges.LatentDim);
        Within("beta", cfg.Beta, OptionRanges.Beta);
        Within("epochs", cfg.Epochs, OptionRanges.Epochs);
        Within("batchSize", cfg.BatchSize, OptionRanges.BatchSize);
        Within("learningRate", cfg.LearningRate, OptionRanges.LearningRate);
        Within("weightDecay", cfg.WeightDecay, OptionRanges.WeightDecay);
        Within("seed", cfg.Seed, OptionRanges.Seed);
        Within("threshold", cfg.Threshold, OptionRanges.Threshold);
        Within("hhCount", cfg.HhCount, OptionRanges.TrainingTraces);
        Within("hhSeed", cfg.HhSeed, OptionRanges.Seed);
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
