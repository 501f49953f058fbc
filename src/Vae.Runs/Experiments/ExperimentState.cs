using Vae.Runs;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Runs.Settings;


namespace Vae.Runs.Experiments;

/// <summary>Where a config of an experiment stands.</summary>
public enum EntryState
{
    /// <summary>No run yet.</summary>
    New,
    /// <summary>Started; continues from its last checkpoint.</summary>
    Partial,
    /// <summary>All epochs done and the final model written.</summary>
    Complete,
}

/// <summary>Reads the state of an experiment's run folders.</summary>
public static class ExperimentState
{
    /// <summary>The state of the run for <paramref name="cfg"/> in <paramref name="folder"/>, checking that it is the same config.</summary>
    public static EntryState Of(string folder, TrainConfig cfg)
    {
        if (!File.Exists(RunFolder.At(folder).ConfigPath))
            return EntryState.New;
        var run = RunFolder.Open(folder);
        var existing = RunManifest.Read(run);
        if (existing.ToJson() != cfg.ToJson())
            throw new UserInputException($"{folder} holds a run with other settings (e.g. other epochs)", new Remedy.OtherExperimentFolder());
        return EpochsDone(folder) >= cfg.Epochs && File.Exists(run.FinalModel) ? EntryState.Complete : EntryState.Partial;
    }

    /// <summary>Epochs already done in a run folder (0 when none).</summary>
    public static int EpochsDone(string folder)
    {
        var metrics = RunFolder.At(folder).MetricsPath;
        return File.Exists(metrics) ? MetricsTable.Parse(File.ReadAllText(metrics)).Epochs.Count : 0;
    }
}
