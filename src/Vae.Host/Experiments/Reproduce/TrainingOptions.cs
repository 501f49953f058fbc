using System.CommandLine;
using Vae.Host.Running;
using Vae.Runs.Training;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments.Reproduce;

/// <summary>The options of the forms that train in this process (<c>reproduce run</c>, <c>reproduce shard</c>).</summary>
public sealed class TrainingOptions
{
    private readonly Option<bool> _quiet = new("--quiet") { Description = "Print one line per config only." };
    private readonly Option<bool> _noReport = new("--no-report")
    {
        Description = "Update the results and analysis tables but leave the figures and report to a later `reproduce report` (array tasks, workers).",
    };

    /// <summary>Adds these options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_quiet);
        command.Options.Add(_noReport);
    }

    /// <summary>Whether --quiet was given.</summary>
    public bool Quiet(ParseResult parse) => parse.GetValue(_quiet);

    /// <summary>Whether --no-report was given.</summary>
    public bool NoReport(ParseResult parse) => parse.GetValue(_noReport);

    /// <summary>Trains <paramref name="entries"/> of <paramref name="x"/> one after another in this process.</summary>
    public SweepOutcome Train(Experiment x, IReadOnlyList<SweepEntry> entries, ParseResult parse, CancellationToken cancel)
    {
        var output = parse.InvocationConfiguration.Output;
        Directory.CreateDirectory(x.Folder.Root);
        var launch = LaunchDisplay.On(new LaunchOptions(x.DataRoot, x.MnistDir, x.ThreadsOption, null, Force: false) { Cancel = cancel },
            output, Quiet(parse), analyze: true);
        return SweepTraining.TrainAll(entries, x.Folder, x.All, launch, output, parse.InvocationConfiguration.Error);
    }
}
