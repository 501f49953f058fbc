using System.Reflection;
using System.Text.RegularExpressions;
using Vae.Reports;
using Vae.Runs.Training;

namespace Vae.Host.Tests.Architecture;

/// <summary>
/// The layers of docs/architecture.md, read from the assemblies' references: the application library knows nothing
/// of the command line or the renderers, and the renderers nothing of the command line.
/// </summary>
public class LayerTests
{
    private static string[] References(Assembly a) => a.GetReferencedAssemblies().Select(r => r.Name!).ToArray();

    [Fact]
    public void The_application_library_uses_neither_the_command_line_nor_the_renderers()
    {
        var runs = References(typeof(RunLauncher).Assembly);
        Assert.Contains("Vae.Model", runs);
        Assert.Contains("Vae.Simulation", runs);
        foreach (var outer in new[] { "Vae.Host", "Vae.Reports", "System.CommandLine", "Spectre.Console", "ScottPlot", "Plotly.NET" })
            Assert.DoesNotContain(outer, runs);
    }

    [Fact]
    public void The_renderers_use_the_application_library_and_not_the_command_line()
    {
        var reports = References(typeof(RunRendering).Assembly);
        Assert.Contains("Vae.Runs", reports);
        foreach (var outer in new[] { "Vae.Host", "System.CommandLine", "Spectre.Console" })
            Assert.DoesNotContain(outer, reports);
    }

    /// <summary>The application's folders in layer order: each may use only those before it (Errors by all).</summary>
    private static readonly string[][] ApplicationLayers =
    [
        ["Settings", "Metrics", "Errors"], ["Data"], ["Persistence"], ["Models"], ["Training", "Inference"], ["Analysis", "Tracking", "Experiments"],
    ];

    [Fact]
    public void The_application_s_folders_use_only_the_layers_before_them()
    {
        var root = Path.Combine(RepoRoot(), "src", "Vae.Runs");
        int LayerOf(string folder) => Array.FindIndex(ApplicationLayers, l => l.Contains(folder));
        var offenders = ApplicationLayers.SelectMany(l => l)
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs")
                .SelectMany(f => File.ReadLines(f)
                    .Select(line => Regex.Match(line, @"^using Vae\.Runs\.(\w+);"))
                    .Where(m => m.Success && m.Groups[1].Value != "Errors" && LayerOf(m.Groups[1].Value) >= LayerOf(folder)
                        && m.Groups[1].Value != folder)
                    .Select(m => $"{folder}/{Path.GetFileName(f)} uses {m.Groups[1].Value}")))
            .ToList();
        Assert.Empty(offenders);
        Assert.All(Directory.EnumerateDirectories(root).Select(Path.GetFileName).Where(d => d is not ("bin" or "obj")),
            d => Assert.True(LayerOf(d!) >= 0, $"src/Vae.Runs/{d} is in no layer of this test and docs/architecture.md"));
    }

    [Fact]
    public void The_library_layers_name_no_command_line_option()
    {
        // Messages of Vae.Runs and Vae.Reports speak of runs and settings; only the command line knows its flags.
        var root = RepoRoot();
        var flag = new Regex(@"\$?""[^""]*\s--[a-z][a-z-]+");
        var offenders = new[] { "src/Vae.Runs", "src/Vae.Reports" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//") && flag.IsMatch(x.line) && !x.line.Contains("ProcessStartInfo"))
            .Select(x => $"{Path.GetRelativePath(root, x.f)}:{x.i + 1}")
            .ToList();
        Assert.Empty(offenders);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FunctionalVae.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("FunctionalVae.sln not found above the test's folder");
    }
}
