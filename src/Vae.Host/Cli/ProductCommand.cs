using System.Runtime.InteropServices;

namespace Vae.Host.Cli;

/// <summary>How to start this product again in another process (Slurm tasks, local workers).</summary>
public static class ProductCommand
{
    /// <summary>The command that runs this product: the current .NET host and the host assembly, by absolute path.</summary>
    public static IReadOnlyList<string> Current()
    {
        var assembly = typeof(ProductCommand).Assembly.Location;
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet")
            return [process, assembly];
        // Run as an app host (bin/.../Vae.Host or a tool shim): find the dotnet that runs this runtime.
        var fromRuntime = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return [File.Exists(fromRuntime) ? fromRuntime : "dotnet", assembly];
    }
}
