namespace Vae.Runs.Data;

/// <summary>Where datasets are cached: the user's cache directory unless <c>--data-dir</c> says otherwise.</summary>
public static class DataDirs
{
    /// <summary>
    /// The data cache root: <paramref name="dataDir"/> if given, else <c>$XDG_CACHE_HOME/functionalvae/data</c>
    /// (default <c>~/.cache</c>) on Unix and the local application data folder on Windows.
    /// </summary>
    public static string Resolve(string? dataDir)
    {
        if (!string.IsNullOrWhiteSpace(dataDir))
            return Path.GetFullPath(dataDir);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "FunctionalVae", "data");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cache = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(cache, "functionalvae", "data");
    }
}
