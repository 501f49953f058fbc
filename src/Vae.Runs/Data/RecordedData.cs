using Vae.Simulation.Storage;

namespace Vae.Runs.Data;

/// <summary>
/// What a run records in config.json about the data it trained on: the HH dataset's content hash
/// (<see cref="HhContentHash"/>) and, with dataset scaling, the map fitted on its training split. Runs written
/// before these were recorded have neither (<see cref="None"/>); MNIST runs record no hash (the files are
/// verified by SHA-256 when fetched).
/// </summary>
public sealed record RecordedData(string? ContentHash, TraceScaling? Scaling)
{
    /// <summary>Nothing recorded: a new run, or one written before the record existed.</summary>
    public static readonly RecordedData None = new(null, null);

    /// <summary>
    /// The record for a dataset other than the run's own (<c>--data</c>): the same map, and no content to match.
    /// </summary>
    public RecordedData ForOtherData() => this with { ContentHash = null };

    /// <summary>Refuses a dataset whose content is not the one the run recorded.</summary>
    public void Check(string path, string contentHash)
    {
        if (ContentHash is { } recorded && recorded != contentHash)
            throw new InvalidDataException($"{path} is not the dataset this run trained on: its content is {contentHash}, "
                + $"the run's config.json records {recorded}; restore that dataset, or train a new run on this one.");
    }
}
