using System.Diagnostics;
using Vae.Host.Cli;

namespace Vae.Host.Tests.Cli;

/// <summary>The host as its own process, where its native set-up comes before any other tensor work.</summary>
public sealed class InfoProcessTests
{
    [Fact]
    public async Task Info_reports_denormals_flushed_on_every_libtorch_thread()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            [typeof(HostCli).Assembly.Location, "info", "--threads", "2"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == ExitCodes.Ok, error);
        Assert.Contains("threads: 2; denormals flushed to zero: yes", output);
    }
}
