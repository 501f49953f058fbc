using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Vae.Host.Cli;

/// <summary>
/// The parser's errors as the host's one <c>error:</c> line: each names its option, lists of choices are written
/// on the line, and several errors are joined.
/// </summary>
public static partial class ParseErrorLine
{
    /// <summary>One line (without the <c>error:</c> prefix) for all of <paramref name="errors"/>.</summary>
    public static string Of(IEnumerable<ParseError> errors) =>
        string.Join("; ", errors.Select(e => Describe(e).TrimEnd('.')).Distinct()) + ".";

    private static string Describe(ParseError e)
    {
        // "Argument 'x' not recognized. Must be one of:\n\t'a'\n\t'b'" -> "'x' not recognized. Must be one of: 'a', 'b'"
        var text = Between().Replace(LineBreak().Replace(e.Message.Trim(), " "), "', '");
        if (text.StartsWith("Argument '", StringComparison.Ordinal))
            text = text["Argument ".Length..];
        return OptionOf(e.SymbolResult) is { } name && !text.Contains(name, StringComparison.Ordinal) ? $"{name}: {text}" : text;
    }

    private static string? OptionOf(SymbolResult? r) => r switch
    {
        OptionResult o => o.Option.Name,
        ArgumentResult { Parent: OptionResult o } => o.Option.Name,
        _ => null,
    };

    [GeneratedRegex(@"\s*[\r\n]+\s*")]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"'\s+'")]
    private static partial Regex Between();
}
