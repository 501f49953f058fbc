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
/// The automatic choice between holding an HH file's traces in memory and reading them on demand. In memory the
/// two splits are one float32 tensor each (one copy of the traces), so a file is held only while it is at most
/// <see cref="MemoryFraction"/> of the machine's memory: 768 MiB (about 38,000 traces of 5,000 samples) on a 24 GiB
/// machine. The environment variable <see cref="Variable"/> (<c>memory</c> or <c>stream</c>)
/// overrides the choice, to compare the two paths on the same file.
/// </summary>
public static class HhResidence
{
    /// <summary>The largest file, as a fraction of the machine's memory, whose traces are held in memory.</summary>
    public const double MemoryFraction = 1.0 / 32;

    /// <summary>The environment variable that forces one path.</summary>
    public const string Variable = "FUNCTIONALVAE_HH_DATA";

    /// <summary>The choice for a file of <paramref name="fileBytes"/> on a machine with <paramref name="memoryBytes"/>.</summary>
    public static DataResidence For(long fileBytes, long memoryBytes) =>
        fileBytes <= memoryBytes * MemoryFraction ? DataResidence.Memory : DataResidence.Stream;

    /// <summary>The choice for the file at <paramref name="path"/> on this machine, or the one <see cref="Variable"/> forces.</summary>
    public static DataResidence For(string path) =>
        Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() switch
        {
            "memory" => DataResidence.Memory,
            "stream" => DataResidence.Stream,
            // A path that is not a file is read whole, which says what is wrong with it.
            null or "" => File.Exists(path) ? For(new FileInfo(path).Length, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) : DataResidence.Memory,
            var other => throw new UserInputException($"{Variable}={other} is neither memory nor stream; unset it to choose automatically."),
        };

    /// <summary>How a run's log says where the traces are.</summary>
    public static string Describe(DataResidence residence) => residence == DataResidence.Memory
        ? "traces held in memory"
        : "traces read from the file a batch at a time";
}
