using System.CommandLine;
using Vae.Runs.Training;
using Vae.Runs.Settings;

namespace Vae.Host.Cli;

/// <summary>
/// An option whose value is one of a closed set of names (<see cref="SettingName"/>): the choices are the type's
/// names, an unknown name is the parser's one-line "not recognized" error listing them, and the value parses into
/// the type.
/// </summary>
public static class NamedOption
{
    /// <summary>The option; null when not given and <paramref name="defaultValue"/> is null.</summary>
    public static Option<T?> Create<T>(string name, string description, T? defaultValue = null) where T : SettingName, ISettingNames<T>
    {
        var option = new Option<T?>(name)
        {
            Description = description,
            // An unknown name is reported by the choices' validator; it converts to null and is never used.
            CustomParser = r => r.Tokens.Count == 0 ? defaultValue : SettingNames.TryParse<T>(r.Tokens[^1].Value),
        };
        if (defaultValue is not null)
            option.DefaultValueFactory = _ => defaultValue;
        option.AcceptOnlyFromAmong(SettingNames.Texts<T>());
        return option;
    }
}
