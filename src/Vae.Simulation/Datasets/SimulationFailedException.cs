using Vae.Simulation.Integration;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Datasets;

/// <summary>A trace of a dataset failed; names the trace by its index in the dataset, its conductances and the reason.</summary>
public sealed class SimulationFailedException(int traceIndex, Conductances conductances, SolveResult result, string message)
    : TraceFailedException(conductances, result, message)
{
    /// <summary>Index of the first failed trace.</summary>
    public int TraceIndex { get; } = traceIndex;
}
