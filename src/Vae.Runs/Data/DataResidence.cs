namespace Vae.Runs.Data;

/// <summary>Where an HH dataset's traces live while a run uses them.</summary>
public enum DataResidence
{
    /// <summary>Read whole into memory, each split one float32 tensor: the faster path while the data fits comfortably.</summary>
    Memory,
    /// <summary>Read from the file a batch at a time: memory independent of the number of traces.</summary>
    Stream,
}

/// <summary>
/// Where a run's HH traces live: read from the file a batch at a time, unless the environment variable
/// <see cref="Variable"/> says <c>memory</c> (or <c>stream</c>, the default). Reading a batch costs about 2 ms of a
/// 180 ms step, and on the main command's 10,000 traces the in-memory path was no faster (epochs of 23-26 s read from
/// the file against 26-30 s held in memory, AMD EPYC) while its peak was 1,084 MiB against 739 (the traces, 200 MB,
/// and the allocator's share of them): memory is the one measurable difference, so the file is the default whatever
/// its size. The variable compares the two paths on one file.
/// </summary>
public static class HhResidence
{
    /// <summary>The environment variable that forces one path.</summary>
    public const string Variable = "FUNCTIONALVAE_HH_DATA";

    /// <summary>Where the traces of a run live: as <see cref="Variable"/> says, read from the file by default.</summary>
    public static DataResidence Chosen() =>
        Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() switch
        {
            "memory" => DataResidence.Memory,
            null or "" or "stream" => DataResidence.Stream,
            var other => throw new UserInputException($"{Variable}={other} is neither memory nor stream; unset it to read traces from the file."),
        };

    /// <summary>How a run's log says where the traces are.</summary>
    public static string Describe(DataResidence residence) => residence == DataResidence.Memory
        ? "traces held in memory"
        : "traces read from the file a batch at a time";
}
