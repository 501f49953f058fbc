using Spectre.Console;

namespace Vae.Host.Cli;

/// <summary>What the output is connected to.</summary>
public static class Terminal
{
    /// <summary>
    /// True when <paramref name="output"/> is the console of a real, interactive terminal: only then are progress
    /// bars drawn (logs and CI get plain lines).
    /// </summary>
    public static bool IsInteractive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}
