using Vae.Simulation.Integration;

namespace Vae.Simulation.Traces;

/// <summary>
/// A trace's solve did not reach its end (too many steps, step-size underflow, a non-finite state); the message
/// names the cell's conductances and the reason. Callers that report failed runs catch this type, which also
/// covers the failure of a dataset's trace (Datasets.SimulationFailedException).
/// </summary>
public class TraceFailedException(Conductances conductances, SolveResult result, string message) : Exception(message)
{
    /// <summary>gK and gNa of the failed trace.</summary>
    public Conductances Conductances { get; } = conductances;
    /// <summary>How its solve ended.</summary>
    public SolveResult Result { get; } = result;
}
