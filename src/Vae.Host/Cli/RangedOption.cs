using Vae.Runs.Settings;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Vae.Host.Cli;

/// <summary>A numeric option whose values are checked against an allowed range while parsing.</summary>
public interface IRangedOption
{
    /// <summary>The allowed values as messages show them.</summary>
    string AllowedRange { get; }
}

/// <summary>
/// A numeric option that parses its value itself: text that is not a number of its type, and numbers outside its
/// range, become one parse error naming the option, the value and the range (exit 2), never an exception.
/// </summary>
public sealed class RangedOption<TValue> : Option<TValue>, IRangedOption
{
    private RangedOption(string name, string description, string allowedRange) : base(name)
    {
        Description = $"{description} Allowed: {allowedRange}.";
        AllowedRange = allowedRange;
    }

    /// <inheritdoc/>
    public string AllowedRange { get; }

    /// <summary>An option that may be left out (null), checked against <paramref name="range"/> when given.</summary>
    public static RangedOption<TValue> Optional<T>(string name, NumericRange<T> range, string description)
        where T : struct, INumber<T>
    {
        if (typeof(TValue) != typeof(T?))
            throw new ArgumentException($"{name}: an optional option of {typeof(T).Name} holds {typeof(T).Name}?.");
        var o = new RangedOption<TValue>(name, description, range.ToString());
        o.CustomParser = r => (TValue)(object?)Parse(r, name, range)!;
        return o;
    }

    /// <summary>An option with a default value, checked against <paramref name="range"/> when given.</summary>
    public static RangedOption<TValue> WithDefault<T>(string name, NumericRange<T> range, T defaultValue, string description)
        where T : struct, INumber<T>
    {
        if (typeof(TValue) != typeof(T))
            throw new ArgumentException($"{name}: an option of {typeof(T).Name} holds {typeof(T).Name}.");
        if (!range.Contains(defaultValue))
            throw new ArgumentException($"{name}: the default {defaultValue} is outside {range}.");
        var o = new RangedOption<TValue>(name, description, range.ToString());
        o.DefaultValueFactory = _ => (TValue)(object)defaultValue;
        o.CustomParser = r => (TValue)(object)(Parse(r, name, range) ?? defaultValue);
        return o;
    }

    // The one place numeric text becomes a number: invariant culture, whole numbers in digits only.
    private static T? Parse<T>(ArgumentResult r, string name, NumericRange<T> range) where T : struct, INumber<T>
    {
        if (r.Tokens.Count == 0)
            return null;
        var text = r.Tokens[^1].Value.Trim();
        var whole = !(typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(decimal));
        var style = whole ? NumberStyles.AllowLeadingSign : NumberStyles.Float;
        if (T.TryParse(text, style, CultureInfo.InvariantCulture, out var value) && range.Contains(value))
            return value;
        var isNumber = whole
            ? BigInteger.TryParse(text, style, CultureInfo.InvariantCulture, out _)
            : double.TryParse(text, style, CultureInfo.InvariantCulture, out _);
        r.AddError(isNumber
            ? $"{name}: {text} is out of range; allowed: {range}."
            : $"{name}: '{text}' is not {(whole ? "a whole number" : "a number")}; allowed: {range}.");
        return null;
    }
}

/// <summary>Numeric options checked against a range, with the value type inferred from the range.</summary>
public static class NumericOption
{
    /// <summary>An option that may be left out (null); see <see cref="RangedOption{TValue}.Optional"/>.</summary>
    public static RangedOption<T?> Optional<T>(string name, NumericRange<T> range, string description) where T : struct, INumber<T> =>
        RangedOption<T?>.Optional(name, range, description);

    /// <summary>An option with a default; see <see cref="RangedOption{TValue}.WithDefault"/>.</summary>
    public static RangedOption<T> WithDefault<T>(
        string name, NumericRange<T> range, T defaultValue, string description) where T : struct, INumber<T> =>
        RangedOption<T>.WithDefault(name, range, defaultValue, description);
}
