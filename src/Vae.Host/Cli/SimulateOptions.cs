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

    /// <summary>`--rtol`: relative tolerance, &gt; 0.</summary>
    public static Option<double> RelativeTolerance()
    {
        var o = new Option<double>("--rtol") { Description = "Relative tolerance of the adaptive integrator.", DefaultValueFactory = _ => SolverOptions.DefaultRelativeTolerance };
        o.Validators.Add(r => { var v = r.GetValueOrDefault<double>(); if (!(v > 0) || double.IsInfinity(v)) r.AddError("--rtol must be a finite number > 0."); });
        return o;
    }

    /// <summary>`--atol`: absolute tolerance, &gt;= 0.</summary>
    public static Option<double> AbsoluteTolerance()
    {
        var o = new Option<double>("--atol") { Description = "Absolute tolerance of the adaptive integrator.", DefaultValueFactory = _ => SolverOptions.DefaultAbsoluteTolerance };
        o.Validators.Add(r => { var v = r.GetValueOrDefault<double>(); if (!(v >= 0) || double.IsInfinity(v)) r.AddError("--atol must be a finite number >= 0."); });
        return o;
    }

    /// <summary>`--method`: the Runge-Kutta pair.</summary>
    public static Option<string> Method()
    {
        var o = new Option<string>("--method") { Description = "Runge-Kutta pair: tsit5 (Tsitouras 5(4)), dp5 (Dormand-Prince 5(4)) or bs3 (Bogacki-Shampine 3(2)).", DefaultValueFactory = _ => SolverOptions.Default.Tableau.Name };
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
