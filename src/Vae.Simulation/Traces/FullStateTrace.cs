using Vae.Simulation.HodgkinHuxley;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;

namespace Vae.Simulation.Traces;

/// <summary>
/// One simulated cell with its whole state on the protocol's grid (as in the report's Figure 2.6): time from the
/// start of recording (ms), V (mV), the gates n, m, h and the injected current (uA/cm2).
/// </summary>
/// <param name="Protocol">The protocol simulated.</param>
/// <param name="Conductances">gK and gNa of the cell.</param>
/// <param name="Time">Sample times from the start of recording (ms).</param>
/// <param name="V">Membrane potential (mV).</param>
/// <param name="N">Potassium activation.</param>
/// <param name="M">Sodium activation.</param>
/// <param name="H">Sodium inactivation.</param>
/// <param name="Current">Injected current at each sample (uA/cm2).</param>
/// <param name="Statistics">Work of the solve.</param>
public sealed record FullStateTrace(HhProtocol Protocol, Conductances Conductances, double[] Time, double[] V, double[] N,
    double[] M, double[] H, double[] Current, SolveStatistics Statistics)
{
    /// <summary>
    /// Simulates one cell with the generic driver over the protocol's scaling window; throws
    /// <see cref="TraceFailedException"/> if the solve fails.
    /// </summary>
    public static FullStateTrace Simulate(HhProtocol protocol, Conductances conductances, SolverOptions options)
    {
        int count = protocol.ScalingSampleCount;
        var states = new double[count * 4];
        var result = TraceSimulator.SimulateState(protocol, conductances, options, states);
        if (!result.Succeeded)
            throw new TraceFailedException(conductances, result,
                $"the trace (gK = {conductances.GK}, gNa = {conductances.GNa}) failed: {result.Describe()}.");
        double[] Column(int c) => Enumerable.Range(0, count).Select(i => states[4 * i + c]).ToArray();
        var stimulus = protocol.Stimulus;
        return new FullStateTrace(protocol, conductances,
            Enumerable.Range(0, count).Select(i => i * protocol.OutputDtMs).ToArray(),
            Column(HhSystem.V), Column(HhSystem.N), Column(HhSystem.M), Column(HhSystem.H),
            Enumerable.Range(0, count).Select(i => stimulus.At(protocol.SampleTime(i))).ToArray(),
            result.Statistics);
    }
}
