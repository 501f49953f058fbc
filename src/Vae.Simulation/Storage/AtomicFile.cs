using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Vae.Simulation.Storage;

/// <summary>
/// Writes a file under a temporary name in the target's folder and renames it into place only when complete, so a
/// reader never sees a partial file and a failed write leaves nothing behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a temporary path, then moves it to <paramref name="path"/> (replacing it
    /// unless <paramref name="replace"/> is false: then a file that appeared meanwhile is kept and the write fails).
    /// With <paramref name="createFolder"/> the missing folders of <paramref name="path"/> are created first;
    /// otherwise a missing folder is an error. An unwritable destination becomes a <see cref="SimulationInputException"/>.
    /// If <paramref name="cancel"/> fires before the rename, the temporary file is removed and the write throws
    /// <see cref="OperationCanceledException"/>. Temporary files that killed writers left beside the target are
    /// removed first (<see cref="StaleTempFiles"/>).
    /// </summary>
    public static void Write(string path, Action<string> write, bool replace = true, bool createFolder = false, CancellationToken cancel = default)
    {
        using var pending = Begin(path, replace, createFolder);
        pending.Run(() => write(pending.TempPath));
        pending.Commit(cancel);
    }

    /// <summary>
    /// The same write for a writer that fills the temporary file over many calls (a dataset written a block at a
    /// time): write to <see cref="PendingFile.TempPath"/>, then <see cref="PendingFile.Commit"/>; disposing an
    /// uncommitted file removes it.
    /// </summary>
    public static PendingFile Begin(string path, bool replace = true, bool createFolder = false)
    {
        string full = CheckedFullPath(path, createFolder);
        StaleTempFiles.Remove(full);
        return new PendingFile(path, full, TempName(full), replace);
    }

    /// <summary>A file being written under a temporary name beside its target (see <see cref="Begin"/>).</summary>
    public sealed class PendingFile : IDisposable
    {
        private readonly string _path, _full;
        private readonly bool _replace;

        internal PendingFile(string path, string full, string temp, bool replace)
        {
            (_path, _full, TempPath, _replace) = (path, full, temp, replace);
            InFlight.TryAdd(temp, 0);
        }

        /// <summary>Where to write.</summary>
        public string TempPath { get; }

        /// <summary>
        /// Runs one step of the write; an unwritable destination or a full disk becomes a one-line
        /// <see cref="SimulationInputException"/> naming the target.
        /// </summary>
        public void Run(Action step)
        {
            try
            {
                step();
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                // A library that calls its writer by reflection (PureHDF) wraps what the stream threw: a full disk, a
                // cancellation.
                if (e.InnerException is IOException or UnauthorizedAccessException)
                    throw Failure(e.InnerException);
                ExceptionDispatchInfo.Throw(e.InnerException);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Failure(e);
            }
        }

        /// <summary>Moves the complete file into place, unless <paramref name="cancel"/> has fired.</summary>
        public void Commit(CancellationToken cancel = default) => Run(() =>
        {
            cancel.ThrowIfCancellationRequested();
            File.Move(TempPath, _full, overwrite: _replace);
        });

        /// <summary>Removes the temporary file if it was not moved into place.</summary>
        public void Dispose()
        {
            try
            {
                if (File.Exists(TempPath)) File.Delete(TempPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next write to the target removes it (StaleTempFiles).
            }
            InFlight.TryRemove(TempPath, out _);
        }

        private SimulationInputException Failure(Exception e) =>
            new(e is IOException io && DiskFull.Is(io) ? $"cannot write '{_path}': the disk is full; {DiskFull.Remedy}."
                : $"cannot write '{_path}': {e.Message}");
    }

    // The temporary files of the writes under way, for a process that must stop at once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> InFlight = new();

    /// <summary>
    /// Removes the temporary files of the writes under way in this process: for a process about to end at once
    /// (a second Ctrl+C or SIGTERM), which then leaves no partial file.
    /// </summary>
    public static void RemoveInFlight()
    {
        foreach (var temp in InFlight.Keys)
            try { File.Delete(temp); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the next write to the target removes it */ }
    }

    /// <summary>Atomically writes <paramref name="bytes"/> to <paramref name="path"/>, flushed to disk before the rename.</summary>
    public static void WriteAllBytes(string path, byte[] bytes, bool createFolder = false) =>
        Write(path, temp =>
        {
            using var s = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            s.Write(bytes);
            s.Flush(flushToDisk: true);
        }, createFolder: createFolder);

    /// <summary>Atomically writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text, bool createFolder = false) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text), createFolder);

    /// <summary>
    /// Checks, before any expensive work, that a file can be created at <paramref name="path"/> (by creating and
    /// removing a temporary file beside it); throws <see cref="SimulationInputException"/> otherwise.
    /// </summary>
    public static void EnsureWritable(string path)
    {
        string temp = TempName(CheckedFullPath(path));
        try
        {
            File.WriteAllBytes(temp, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SimulationInputException($"cannot write '{path}': {e.Message}");
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string TempName(string full) => StaleTempFiles.NameFor(full, Environment.ProcessId);

    private static string CheckedFullPath(string path, bool createFolder = false)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new SimulationInputException($"invalid output path '{path}': {e.Message}");
        }
        if (Directory.Exists(full))
            throw new SimulationInputException($"output path '{path}' is a directory; give a file name.");
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (createFolder)
        {
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SimulationInputException($"cannot create the folder of '{path}': {e.Message}");
            }
        }
        if (!Directory.Exists(folder))
            throw new SimulationInputException($"cannot write '{path}': folder '{folder}' does not exist.");
        return full;
    }
}
