using System.CommandLine;
using System.CommandLine.Parsing;

namespace Vae.Host.Cli;

/// <summary>
/// No option or argument of the host takes an empty text (<c>--out ""</c>, <c>--only ""</c>): an empty path would
/// name the current folder and an empty selection everything. Refused at parse time, for every command at once.
/// </summary>
public static class EmptyValues
{
    /// <summary>Adds the check to every text option and argument of <paramref name="command"/> and its subcommands.</summary>
    public static void RefuseIn(Command command)
    {
        foreach (var o in command.Options.Where(o => TakesText(o.ValueType)))
            o.Validators.Add(r => Check(r, r.Tokens, o.Name));
        foreach (var a in command.Arguments.Where(a => TakesText(a.ValueType)))
            a.Validators.Add(r => Check(r, r.Tokens, $"the {a.Name} argument"));
        foreach (var sub in command.Subcommands)
            RefuseIn(sub);
    }

    private static bool TakesText(Type t) => t == typeof(string) || t == typeof(string[]);

    private static void Check(SymbolResult r, IReadOnlyList<Token> tokens, string name)
    {
        if (tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            r.AddError($"{name} is empty; give a value or leave it out.");
    }
}
