using Vae.Runs.Persistence;

namespace Vae.Runs.Training;

/// <summary>
/// What <c>--resume</c> reads from a run folder besides its config, with the problems a damaged folder can have
/// (an unreadable checkpoint, a missing metrics table, a folder it cannot write) as one line saying what to do.
/// </summary>
public static class ResumeCheck
{
    /// <summary>Fails before any work if the run folder cannot take new files (read-only, no permission).</summary>
    public static void Writable(RunFolder folder)
    {
        var probe = Path.Combine(folder.Root, $".write-test-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UserInputException($"cannot continue the run in {folder.Root}: the folder is not writable ({e.Message})",
                new Remedy.Act("copy it to a writable place and continue the copy"));
        }
    }

    /// <summary>The run's last checkpoint, loaded by <paramref name="load"/>; a damaged file is bad input.</summary>
    public static T Load<T>(RunFolder folder, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"{e.Message.Split('\n')[0]}; the run cannot continue from it",
                new Remedy.ReplaceRun(folder.Root), new Remedy.Act("restore the checkpoint"));
        }
    }

    /// <summary>The run's metrics table, which a run with a checkpoint must have.</summary>
    public static MetricsTable Metrics(RunFolder folder) =>
        File.Exists(folder.MetricsPath)
            ? MetricsTable.Parse(File.ReadAllText(folder.MetricsPath))
            : throw new UserInputException($"{folder.Root} has a checkpoint but no metrics.csv, so the run cannot continue",
                new Remedy.Act("restore metrics.csv"), new Remedy.ReplaceRun(folder.Root));
}
