using System.Globalization;
using System.Numerics;

namespace Vae.Runs.Settings;

/// <summary>
/// The values a numeric option accepts: <see cref="Min"/> to <see cref="Max"/>, both included unless
/// <see cref="MinExclusive"/>. Its text is what error messages and help show.
/// </summary>
public sealed record NumericRange<T>(T Min, T Max, bool MinExclusive = false) where T : struct, INumber<T>
{
    /// <summary>Whether <paramref name="value"/> is allowed (NaN never is).</summary>
    public bool Contains(T value) => (MinExclusive ? value > Min : value >= Min) && value <= Max;

    /// <summary>The range as help and error messages show it, e.g. "1..1024" or "&gt; 0 and &lt;= 10".</summary>
    public override string ToString() =>
        MinExclusive ? $"> {Text(Min)} and <= {Text(Max)}" : $"{Text(Min)}..{Text(Max)}";

    private static string Text(T value) => value.ToString(null, CultureInfo.InvariantCulture);
}
