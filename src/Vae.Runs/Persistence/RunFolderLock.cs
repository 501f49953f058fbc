using Vae.Runs.Data;

namespace Vae.Runs.Persistence;

/// <summary>
/// The lock of one run folder (<see cref="RunFolder.LockPath"/>, a <see cref="FileLock"/>), held by every process
/// that writes into the folder: training, <c>--resume</c>, <c>--force</c>, <c>evaluate</c>, <c>analyze</c>, and
/// <c>generate</c>/<c>encode</c> writing their default outputs there. A second writer is refused at once instead
/// of waiting, since a run can train for hours; a lock whose process is gone is taken over.
/// </summary>
public static class RunFolderLock
{
    /// <summary>
    /// Takes the lock of the run folder at <paramref name="root"/> (which must exist), telling
    /// <paramref name="log"/> when it replaced a dead process's lock; a live holder is bad input naming the folder
    /// and the holder.
    /// </summary>
    public static FileLock Take(string root, Action<string> log)
    {
        var folder = RunFolder.At(root);
        var held = FileLock.TryAcquire(folder.LockPath, out var holder);
        if (held is null)
            throw new UserInputException($"run folder {folder.Root} is in use by {holder}; wait until that process finishes (or "
                + "stop it), then try again.");
        if (held.TookOverFrom is { } dead)
            log($"run folder {folder.Root}: the lock of {dead} is stale (its process is gone), taken over");
        return held;
    }

    /// <summary>
    /// Takes the lock of <paramref name="folder"/> when <paramref name="output"/> lies inside it (a command's
    /// default output); null when the command writes elsewhere and only reads the run.
    /// </summary>
    public static FileLock? TakeIfWritingInto(RunFolder folder, string output, Action<string> log)
    {
        var relative = Path.GetRelativePath(folder.Root, Path.GetFullPath(output));
        var inside = relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar) && !Path.IsPathRooted(relative);
        return inside ? Take(folder.Root, log) : null;
    }
}
