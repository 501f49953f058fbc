using System.CommandLine;
using System.CommandLine.Parsing;
using Vae.Host.Experiments.Reproduce;

namespace Vae.Host.Commands;

/// <summary>
/// `reproduce`: the original study's sweeps, each config a normal run folder under one experiment folder. One
/// command per way to run it, each with only its own options: `run` (also plain `reproduce`) trains, in this
/// process or in workers; `shard i/n` trains one part; `plan` estimates; `list` lists for programs; `report` draws
/// the report from the runs as they stand; `slurm` writes a Slurm job array. The options `reproduce` took for these
/// before are refused with one line naming the new form (<see cref="RetiredForms"/>).
/// </summary>
public static class ReproduceCommand
{
    /// <summary>The `reproduce` command.</summary>
    public static Command Create()
    {
        var cmd = new Command("reproduce", "Run the original study's sweeps (docs/science.md section 5) with its settings; skip complete configs, "
            + "resume interrupted ones; write a results table. Without a command: reproduce run. Safe to run in several processes on one folder.");
        ReproduceRun.Configure(cmd);
        foreach (var sub in new[] { ReproduceRun.Create(), ReproducePlan.Create(), ReproduceList.Create(), ReproduceReport.Create(),
            ReproduceSlurm.Create(), ReproduceShard.Create() })
        {
            // `reproduce --out d plan` would give --out to the default form, not to plan.
            sub.Validators.Add(r =>
            {
                if (r.Parent is CommandResult parent && parent.Children.OfType<OptionResult>().FirstOrDefault(o => !o.Implicit) is { } o)
                    r.AddError($"{o.Option.Name} comes before the command {sub.Name}; write reproduce {sub.Name} and then its options.");
            });
            cmd.Subcommands.Add(sub);
        }
        RetiredForms.AddTo(cmd);
        return cmd;
    }
}
