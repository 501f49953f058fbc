using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vae.Runs.Settings;

/// <summary>
/// A value of a closed set of named choices (<see cref="Dataset"/>, <see cref="ModelFamily"/>,
/// <see cref="ScalingMode"/>, <see cref="HhDataProtocol"/>). Its <see cref="Text"/> is its one name everywhere:
/// the command line's choices, config.json, run-folder names and messages (<see cref="ToString"/> returns it, so
/// interpolation writes the name). The values are the static instances of each type; no others can be made.
/// </summary>
public abstract class SettingName
{
    private protected SettingName(string text) => Text = text;

    /// <summary>The name as the command line, config.json and messages write it.</summary>
    public string Text { get; }

    /// <summary>The name (<see cref="Text"/>).</summary>
    public sealed override string ToString() => Text;
}

/// <summary>A closed set of named choices: every value and the setting's name in config.json and messages.</summary>
public interface ISettingNames<TSelf> where TSelf : SettingName, ISettingNames<TSelf>
{
    /// <summary>Every value, in the order messages list them.</summary>
    static abstract IReadOnlyList<TSelf> All { get; }
    /// <summary>The setting's name in config.json (e.g. <c>dataset</c>).</summary>
    static abstract string Setting { get; }
}

/// <summary>Parsing and listing of <see cref="SettingName"/> values.</summary>
public static class SettingNames
{
    /// <summary>The value named <paramref name="text"/> (exact, case-sensitive), or null.</summary>
    public static T? TryParse<T>(string? text) where T : SettingName, ISettingNames<T> =>
        T.All.FirstOrDefault(v => v.Text == text);

    /// <summary>The value named <paramref name="text"/>; throws <see cref="InvalidSettingException"/> listing the names otherwise.</summary>
    public static T Parse<T>(string? text) where T : SettingName, ISettingNames<T> =>
        TryParse<T>(text) ?? throw new InvalidSettingException(new SettingProblem(T.Setting, SettingProblem.Quote(text), Choices<T>()));

    /// <summary>The names, e.g. <c>hh, mnist</c>.</summary>
    public static string Choices<T>() where T : SettingName, ISettingNames<T> => string.Join(", ", T.All);

    /// <summary>The names as an array, for the command line's choices.</summary>
    public static string[] Texts<T>() where T : SettingName, ISettingNames<T> => [.. T.All.Select(v => v.Text)];
}

/// <summary>Reads and writes a <see cref="SettingName"/> as its <see cref="SettingName.Text"/>.</summary>
public sealed class SettingNameJsonConverter<T> : JsonConverter<T> where T : SettingName, ISettingNames<T>
{
    /// <inheritdoc/>
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? SettingNames.Parse<T>(reader.GetString())
            : throw new InvalidSettingException(new SettingProblem(T.Setting, $"not a name ({reader.TokenType})", SettingNames.Choices<T>()));

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}
