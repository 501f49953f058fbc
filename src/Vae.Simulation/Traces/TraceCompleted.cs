using Vae.Simulation.Integration;

namespace Vae.Simulation.Traces;

/// <summary>Receives a finished trace: its index, its voltage over the scaling window (mV; valid only during the call) and how its solve
/// ended.</summary>
public delegate void TraceCompleted(int index, ReadOnlySpan<double> voltage, SolveResult result);
