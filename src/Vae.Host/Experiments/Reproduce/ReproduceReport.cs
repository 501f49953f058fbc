using System.CommandLine;
using Vae.Host.Cli;
using Vae.Runs;

namespace Vae.Host.Experiments.Reproduce;

/// <summary>
/// <c>reproduce report</c>: the results and analysis tables, figures and report from the runs as they stand (e.g.
/// while a sweep trains elsewhere, or after a Slurm array), analyzing finished configs that have no analysis yet;
/// trains nothing.
/// </summary>
public static class ReproduceReport
{
    /// <summary>The <c>report</c> subcommand.</summary>
    public static Command Create()
    {
        var experiment = new ExperimentOptions();
        var cmd = new Command("report", "Write the results and analysis tables, figures and report from the runs as they stand, "
            + "analyzing finished configs that have no analysis yet; train nothing.");
        experiment.AddTo(cmd);
        cmd.SetCancellableAction((parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var x = experiment.Open(parse, null, output.WriteLine, cancel);
            x.CheckFolder();
            if (!Directory.Exists(x.Folder.Root))
                throw new UserInputException($"{x.Folder.Root} holds no experiment yet; train it first with reproduce run.");
            return x.Finish(new SweepOutcome(0, 0), noReport: false, output);
        });
        return cmd;
    }
}
