using System.Security.Cryptography;

namespace Vae.Host.Tests.BadInput;

/// <summary>A scratch folder for one bad-input case: its files before and after the command are compared.</summary>
public sealed class Sandbox : IDisposable
{
    /// <summary>The folder; every path a case passes lives under it.</summary>
    public string Dir { get; } = Directory.CreateTempSubdirectory("fvae-badinput-").FullName;

    /// <summary>A path inside the sandbox.</summary>
    public string At(string name) => Path.Combine(Dir, name);

    /// <summary>Writes a text file inside the sandbox and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = At(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// Every file (hidden ones too) with a hash of its content and every folder (as "folder"), by path relative to
    /// the sandbox.
    /// </summary>
    public IReadOnlyDictionary<string, string> Snapshot()
    {
        var all = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        var files = Directory.EnumerateFiles(Dir, "*", all)
            .Select(f => (f, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));
        var folders = Directory.EnumerateDirectories(Dir, "*", all).Select(d => (d, "folder"));
        return files.Concat(folders).ToDictionary(e => Path.GetRelativePath(Dir, e.Item1), e => e.Item2);
    }

    /// <summary>Removes the sandbox.</summary>
    public void Dispose()
    {
        if (Directory.Exists(Dir))
            Directory.Delete(Dir, recursive: true);
    }
}

/// <summary>
/// One bad input or fault tried against the real command line (<see cref="CliRunner"/>): the arguments (built from
/// the sandbox), the exit code and a fragment of the one <c>error:</c> line it must give. Unless
/// <see cref="Leaves"/> says otherwise, the sandbox must hold exactly the files it held before the command, with the
/// same contents: nothing half-written, nothing overwritten.
/// </summary>
public sealed record BadInputCase(string Name, Func<Sandbox, string[]> Args, int Code, string Error)
{
    /// <summary>Makes the files the case needs before the command runs.</summary>
    public Action<Sandbox>? Setup { get; init; }

    /// <summary>Checks the sandbox after the command instead of "unchanged", for cases that must write something.</summary>
    public Action<Sandbox, IReadOnlyDictionary<string, string>>? Leaves { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Runs a <see cref="BadInputCase"/> and asserts its exit code, its one error line and what it left.</summary>
public static class BadInputRunner
{
    /// <summary>Runs <paramref name="c"/> in a fresh sandbox and asserts everything it promises.</summary>
    public static void Check(BadInputCase c)
    {
        using var box = new Sandbox();
        c.Setup?.Invoke(box);
        var before = box.Snapshot();
        var (code, _, err) = CliRunner.Run(c.Args(box));
        var errors = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:")).ToList();
        Assert.True(code == c.Code, $"{c.Name}: exit {code}, expected {c.Code}; stderr: {err}");
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain("This is a bug", err);
        if (c.Code == 0)
            Assert.Empty(errors);
        else
        {
            Assert.True(errors.Count == 1, $"{c.Name}: expected one error: line, got {errors.Count}: {err}");
            Assert.Contains(c.Error, errors[0], StringComparison.OrdinalIgnoreCase);
        }
        var after = box.Snapshot();
        if (c.Leaves is { } leaves)
            leaves(box, before);
        else
            Assert.Equal(before.OrderBy(kv => kv.Key), after.OrderBy(kv => kv.Key));
    }
}
