using Vae.Runs.Settings;

namespace Vae.Runs.Persistence;

/// <summary>
/// Reads and checks a config stored in a run's config.json with the config's own validation
/// (<see cref="TrainConfig.Validate"/>), so that a file edited by hand or damaged is refused with one line naming
/// the setting, not met deep inside model building.
/// </summary>
public static class StoredConfigCheck
{
    /// <summary>
    /// The config of <paramref name="json"/>; throws <see cref="InvalidDataException"/> naming <paramref name="path"/>
    /// and the first bad setting.
    /// </summary>
    public static TrainConfig Read(string json, string path)
    {
        try
        {
            return TrainConfig.FromJson(json).Validate();
        }
        catch (InvalidSettingException e)
        {
            throw new InvalidDataException($"{path}: {e.Problem}; restore the file or train a new run.");
        }
    }
}
