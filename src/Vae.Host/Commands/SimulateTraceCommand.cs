using Vae.Runs.Settings;
using System.CommandLine;
using Vae.Host.Cli;
using Vae.Simulation.Datasets;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;
using Vae.Simulation.Traces;

namespace Vae.Host.Commands;

/// <summary>`simulate-trace`: one cell's full state (V, n, m, h) and current over a protocol, as CSV or HDF5 (the report's Figure 2.6).</summary>
public static class SimulateTraceCommand
{
    /// <summary>The `simulate-trace` command.</summary>
    public static Command Create()
    {
        var protocol = SimulateOptions.Protocol("figure-2.6");
        var gk = NumericOption.Optional("--gk", SettingRanges.Conductance,
            "gK in mS/cm2 (default: middle of the protocol's range; 36 for figure-2.6).");
        var gna = NumericOption.Optional("--gna", SettingRanges.Conductance,
            "gNa in mS/cm2 (default: middle of the protocol's range; 120 for figure-2.6).");
        var output = new Option<string>("--out")
        {
            Description = "Output file: .csv, or .h5/.hdf5 for HDF5.",
            DefaultValueFactory = _ => "hh-trace.csv",
        };
        var rtol = SimulateOptions.RelativeTolerance();
        var atol = SimulateOptions.AbsoluteTolerance();
        var method = SimulateOptions.Method();
        var force = new Option<bool>("--force") { Description = "Replace an existing output file." };

        var cmd = new Command("simulate-trace",
            "Simulate one cell and write t, V, n, m, h and the stimulus on the protocol's grid (default: the report's Figure 2.6).");
        foreach (var o in new Option[] { protocol, gk, gna, output, rtol, atol, method, force })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var outp = parse.InvocationConfiguration.Output;
            var proto = HhProtocol.FromName(parse.GetValue(protocol)!);
            var solver = SimulateOptions.Solver(parse, method, rtol, atol);
            var cell = new Conductances(
                parse.GetValue(gk) ?? (proto.GkRange.Min + proto.GkRange.Max) / 2,
                parse.GetValue(gna) ?? (proto.GnaRange.Min + proto.GnaRange.Max) / 2);
            string path = parse.GetValue(output)!;
            OutputGuard.RefuseExisting(parse.GetValue(force), path);
            OutputGuard.CheckWritable(path);
            var trace = FullStateTrace.Simulate(proto, cell, solver);
            TraceFileWriter.Write(trace, path);
            int spikes = SpikeDetection.Count(trace.V);
            outp.WriteLine($"wrote {path}: {trace.Time.Length} samples every {proto.OutputDtMs} ms of protocol {proto.Name} "
                + $"(gK {cell.GK}, gNa {cell.GNa}): {spikes} spikes, V from {trace.V.Min():F2} to {trace.V.Max():F2} mV; {trace.Statistics}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
