using System.CommandLine;
using System.CommandLine.Parsing;

namespace Vae.Host.Experiments.Reproduce;

/// <summary>
/// The mode options <c>reproduce</c> took before its modes became commands (<c>--dry-run</c>, <c>--list</c>,
/// <c>--report-only</c>, <c>--slurm</c> with its settings, <c>--shard</c>): hidden, and refused with one line naming
/// the command that replaces them, written out with the options given.
/// </summary>
public static class RetiredForms
{
    // The mode option, the command that replaces it, in this order of precedence when several were given.
    private static readonly (string Option, string Command)[] Modes =
        [("--slurm", "slurm"), ("--report-only", "report"), ("--list", "list"), ("--dry-run", "plan"), ("--shard", "shard"),
         ("--partition", "slurm"), ("--cpus-per-task", "slurm"), ("--time-factor", "slurm")];

    private static readonly string[] Flags = ["--slurm", "--report-only", "--list", "--dry-run"];

    /// <summary>Adds the retired options to <paramref name="reproduce"/>, whose subcommands are the new forms.</summary>
    public static void AddTo(Command reproduce)
    {
        foreach (var name in Flags)
            reproduce.Options.Add(new Option<bool>(name) { Hidden = true });
        foreach (var name in Modes.Select(m => m.Option).Except(Flags))
            reproduce.Options.Add(new Option<string?>(name) { Hidden = true });
        reproduce.Validators.Add(r =>
        {
            if (NewForm(reproduce, r) is { } line)
                r.AddError(line);
        });
    }

    /// <summary>The message naming the new form of the command line parsed into <paramref name="r"/>, or null if it is not an old form.</summary>
    private static string? NewForm(Command reproduce, CommandResult r)
    {
        var given = r.Children.OfType<OptionResult>().Where(o => !o.Implicit)
            .Select(o => (Name: o.Option.Name, Values: o.Tokens.Select(t => t.Value).ToList())).ToList();
        string? Value(string name) => given.FirstOrDefault(g => g.Name == name).Values?.FirstOrDefault();
        var (old, command) = Modes.FirstOrDefault(m => given.Any(g => g.Name == m.Option));
        if (command is null)
            return null;
        var target = reproduce.Subcommands.Single(c => c.Name == command);
        var words = new List<string> { "reproduce", command };
        if (command == "shard")
            words.Add(Value("--shard") ?? "i/n");
        foreach (var (name, values) in given)
        {
            if (Flags.Contains(name) || name == "--shard" && command == "shard")
                continue;
            var newName = name == "--shard" && command == "slurm" ? "--shards" : name;
            if (target.Options.Any(o => o.Name == newName))
                words.AddRange([newName, .. values]);
        }
        var what = command switch
        {
            "shard" => $"reproduce --shard {Value("--shard")} is now reproduce shard {Value("--shard")}",
            "slurm" when Value("--shard") is { } n => $"reproduce --slurm --shard {n} is now reproduce slurm --shards {n}",
            "slurm" when old != "--slurm" => $"{old} is an option of reproduce slurm",
            _ => $"reproduce {old} is now reproduce {command}",
        };
        return $"{what}: `{string.Join(" ", words.Select(Quote))}`";
    }

    private static string Quote(string word) =>
        word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '\\' or '*' or '?')
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
