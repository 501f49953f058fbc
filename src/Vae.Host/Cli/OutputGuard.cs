using Vae.Runs;
using Vae.Simulation.Storage;

namespace Vae.Host.Cli;

/// <summary>Checks that protect what the user already has.</summary>
public static class OutputGuard
{
    /// <summary>Refuses to replace existing files unless <paramref name="force"/>.</summary>
    public static void RefuseExisting(bool force, params string[] paths)
    {
        if (force)
            return;
        foreach (var p in paths)
            if (File.Exists(p))
                throw new UserInputException($"{p} already exists; pass --force to replace it or choose another --out.");
    }

    /// <summary>Fails fast, before any expensive work, if a file cannot be created at <paramref name="path"/>.</summary>
    public static void CheckWritable(string path) => AtomicFile.EnsureWritable(path);
}
