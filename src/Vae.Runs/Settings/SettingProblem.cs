using System.Globalization;

namespace Vae.Runs.Settings;

/// <summary>
/// One setting of a <see cref="TrainConfig"/> outside what is allowed: the setting as config.json names it, its
/// value as text and what is allowed.
/// </summary>
public sealed record SettingProblem(string Setting, string Value, string Allowed)
{
    /// <summary>E.g. <c>"model" is "transformer", allowed mlp, dnn, conv</c>.</summary>
    public override string ToString() => $"\"{Setting}\" is {Value}, allowed {Allowed}";

    /// <summary>A value as the problem shows it: strings quoted, numbers invariant, null as missing.</summary>
    public static string Quote(object? value) => value switch
    {
        null => "missing",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "missing",
    };
}

/// <summary>A config with a setting outside what is allowed (<see cref="TrainConfig.Validate"/>).</summary>
public sealed class InvalidSettingException(SettingProblem problem) : Exception(problem.ToString())
{
    /// <summary>The first setting found outside what is allowed.</summary>
    public SettingProblem Problem { get; } = problem;
}
