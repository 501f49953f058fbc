using Vae.Runs.Settings;
using System.CommandLine;
using Microsoft.FSharp.Core;

namespace Vae.Host.Cli;

/// <summary>Options shared by several commands, defined once.</summary>
public static class HostOptions
{
    /// <summary>`--threads`: CPU threads for libtorch and the simulator; all cores when omitted.</summary>
    public static Option<int?> Threads() =>
        NumericOption.Optional("--threads", SettingRanges.Threads, "CPU threads to use (default: all cores).");

    /// <summary>The `--threads` value as the model layer's option type.</summary>
    public static FSharpOption<int> ThreadsValue(ParseResult parse, Option<int?> threads) => ThreadsValue(parse.GetValue(threads));

    /// <summary>A thread count (null: all cores) as the model layer's option type.</summary>
    public static FSharpOption<int> ThreadsValue(int? threads) =>
        threads is int n ? FSharpOption<int>.Some(n) : FSharpOption<int>.None;

    /// <summary>`--data-dir`: the dataset cache (default: the user's cache directory).</summary>
    public static Option<string?> DataDir() =>
        new("--data-dir") { Description = "Dataset cache folder (default: ~/.cache/functionalvae/data)." };

    /// <summary>`--mnist-dir`: a folder holding the four MNIST IDX files, raw or .gz.</summary>
    public static Option<string?> MnistDir() =>
        new("--mnist-dir") { Description = "Folder with the MNIST IDX files (raw or .gz), tried before the cache and the network." };

    /// <summary>`--digits`: which MNIST digits to keep, e.g. 0,1,2,3.</summary>
    public static Option<int[]> Digits()
    {
        var o = new Option<int[]>("--digits")
        {
            Description = "MNIST digits to keep, comma-separated.",
            DefaultValueFactory = _ => [0, 1, 2, 3],
            CustomParser = r =>
            {
                var text = string.Join(",", r.Tokens.Select(t => t.Value));
                var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var digits = new List<int>();
                foreach (var p in parts)
                {
                    if (!int.TryParse(p, out var d) || d is < 0 or > 9)
                    {
                        r.AddError($"--digits takes digits 0-9 separated by commas, got '{text}'.");
                        return [];
                    }
                    digits.Add(d);
                }
                if (digits.Count == 0)
                    r.AddError("--digits needs at least one digit.");
                return digits.Distinct().Order().ToArray();
            },
        };
        return o;
    }

    /// <summary>`--threshold`: MNIST binarization, pixel &gt;= threshold is 1.</summary>
    public static Option<int> Threshold() =>
        NumericOption.WithDefault("--threshold", SettingRanges.Threshold, TrainConfig.ReportMnistThreshold,
            "MNIST binarization: pixel >= threshold becomes 1 (the report: 127).");
}
