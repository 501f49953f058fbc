using System.Reflection;
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
}
