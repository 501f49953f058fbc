using System.Globalization;

namespace Vae.Simulation.Storage;

/// <summary>The free space a large file needs, checked before the work that fills it, so a full disk is said at once.</summary>
public static class DiskSpace
{
    /// <summary>
    /// Throws a one-line <see cref="SimulationInputException"/> unless the file system of <paramref name="path"/> has
    /// <paramref name="bytes"/> free. A folder whose free space cannot be read passes: the write itself reports a full disk.
    /// </summary>
    public static void Require(string path, long bytes)
    {
        long free;
        try
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            free = new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return;
        }
        if (free < bytes)
            throw new SimulationInputException($"'{path}' needs {Gb(bytes)} GB but its disk has {Gb(free)} GB free; "
                + "free space or write it elsewhere.");
    }

    private static string Gb(long bytes) => (bytes / 1e9).ToString("F2", CultureInfo.InvariantCulture);
}
