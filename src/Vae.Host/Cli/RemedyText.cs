using Vae.Runs;

namespace Vae.Host.Cli;

/// <summary>
/// The library's remedies said with the command line's options: "continue the run in R" is <c>--resume R</c>.
/// The one place where a training setting's config.json name meets its option.
/// </summary>
public static class RemedyText
{
    // Settings whose option is not their name in kebab case.
    private static readonly Dictionary<string, string> OptionOfSetting = new()
    {
        ["learningRate"] = "--lr",
        ["hhData"] = "--hh-data",
        ["hhProtocol"] = "--hh-protocol",
    };

    /// <summary>The message of <paramref name="e"/> with its remedies in options, or its plain message.</summary>
    public static string MessageOf(Exception e) =>
        e is IRemediedProblem p ? ProblemText.Line(p.Problem, p.Remedies, Say) : e.Message;

    /// <summary>One remedy in the command line's words.</summary>
    public static string Say(Remedy remedy) => remedy switch
    {
        Remedy.ResumeRun r => $"continue it with --resume {r.Folder}",
        Remedy.ReplaceRun r => $"start it again with --out {r.Folder} --force",
        Remedy.OtherRunFolder => "choose another --out",
        Remedy.OtherExperimentFolder => "choose another --out for this experiment",
        Remedy.TrainFirst => "train or --resume it first",
        Remedy.ChangeSetting c => $"try {c.Change} {OptionOf(c.Setting)}",
        Remedy.OtherOutputFolder => "choose another --out",
        Remedy.ResumeFit => "add --resume to continue it",
        Remedy.StartFit => "leave --resume out to start one",
        Remedy.ChooseTrace t => t.Count > 1 ? $"choose one with --trace i (0 .. {t.Count - 1})" : "leave --trace out",
        Remedy.GiveMnistFolder m => $"pass --mnist-dir <folder> (or copy them to {m.Cache})",
        _ => remedy.Describe(),
    };

    /// <summary>The option of a training setting named as config.json names it (<c>batchSize</c> is <c>--batch-size</c>).</summary>
    public static string OptionOf(string setting) =>
        OptionOfSetting.TryGetValue(setting, out var option)
            ? option
            : "--" + string.Concat(setting.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));
}
