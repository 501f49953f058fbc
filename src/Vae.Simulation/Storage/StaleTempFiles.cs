using System.Diagnostics;
using System.Globalization;

namespace Vae.Simulation.Storage;

/// <summary>
/// The temporary files of <see cref="AtomicFile"/>: <c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c> beside the target. A writer
/// killed outright (kill -9, power loss) cannot remove its own; the next write to the same target removes those
/// whose process is gone, and leaves those of a live writer alone.
/// </summary>
public static class StaleTempFiles
{
    /// <summary>A fresh temporary name for <paramref name="full"/> written by process <paramref name="pid"/>.</summary>
    public static string NameFor(string full, int pid) =>
        Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{pid}.{Guid.NewGuid():N}.tmp");

    /// <summary>Removes the temporary siblings of <paramref name="full"/> whose writing process no longer runs.</summary>
    public static void Remove(string full)
    {
        string folder = Path.GetDirectoryName(full) ?? ".";
        string prefix = $".{Path.GetFileName(full)}.";
        if (!Directory.Exists(folder))
            return;
        foreach (var temp in Directory.EnumerateFiles(folder, prefix + "*.tmp",
            new EnumerationOptions { AttributesToSkip = 0, MatchCasing = MatchCasing.CaseSensitive }))
        {
            var parts = Path.GetFileName(temp)[prefix.Length..].Split('.');
            if (parts.Length != 3 || parts[1].Length != 32
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || IsRunning(pid))
                continue;
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours to insist on: the write itself goes on, and a later one tries again.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
            return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
