using Vae.Runs.Settings;
using System.CommandLine;
using Vae.Simulation;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;

namespace Vae.Host.Cli;

/// <summary>
/// Options shared by the simulation commands. The library's input errors (<c>SimulationInputException</c>) reach
/// the host's one-line error and exit code 2 through <see cref="HostCli.Run"/>.
/// </summary>
public static class SimulateOptions
{
    /// <summary>`--protocol`: one of the named protocols.</summary>
    public static Option<string> Protocol(string defaultName)
    {
        var o = new Option<string>("--protocol")
        {
            Description = $"Simulation protocol: {string.Join(", ", HhProtocol.All.Select(p => p.Name))}.",
            DefaultValueFactory = _ => defaultName,
        };
        o.AcceptOnlyFromAmong([.. HhProtocol.All.Select(p => p.Name)]);
        return o;
    }

    /// <summary>`--rtol`: relative tolerance of the integrator.</summary>
    public static Option<double> RelativeTolerance() =>
        NumericOption.WithDefault("--rtol", SettingRanges.RelativeTolerance, SolverOptions.DefaultRelativeTolerance,
            "Relative tolerance of the adaptive integrator.");

    /// <summary>`--atol`: absolute tolerance of the integrator.</summary>
    public static Option<double> AbsoluteTolerance() =>
        NumericOption.WithDefault("--atol", SettingRanges.AbsoluteTolerance, SolverOptions.DefaultAbsoluteTolerance,
            "Absolute tolerance of the adaptive integrator.");

    /// <summary>`--method`: the Runge-Kutta pair.</summary>
    public static Option<string> Method()
    {
        var o = new Option<string>("--method")
        {
            Description = "Runge-Kutta pair: tsit5 (Tsitouras 5(4)), dp5 (Dormand-Prince 5(4)) or bs3 (Bogacki-Shampine 3(2)).",
            DefaultValueFactory = _ => SolverOptions.Default.Tableau.Name,
        };
        o.AcceptOnlyFromAmong([.. Tableaus.All.Select(t => t.Name)]);
        return o;
    }

    /// <summary>Integrator settings from the parsed options, validated (invalid values become user errors).</summary>
    public static SolverOptions Solver(ParseResult parse, Option<string> method, Option<double> rtol, Option<double> atol)
    {
        var options = new SolverOptions
        {
            Tableau = Tableaus.Find(parse.GetValue(method)!)!,
            RelativeTolerance = parse.GetValue(rtol),
            AbsoluteTolerance = parse.GetValue(atol),
        };
        options.Validate();
        return options;
    }

    /// <summary>Threads to use: the `--threads` value or all cores.</summary>
    public static int Threads(ParseResult parse, Option<int?> threads) => parse.GetValue(threads) ?? Environment.ProcessorCount;
}
