using Vae.Simulation.Protocols;

namespace Vae.Simulation.Features;

/// <summary>When the stimulus is on, in the trace's time axis (ms from the start of recording).</summary>
/// <param name="OnsetMs">Stimulus onset.</param>
/// <param name="EndMs">Stimulus end; infinity when it stays on past the end of the trace.</param>
public readonly record struct StimulusWindow(double OnsetMs, double EndMs)
{
    /// <summary>The window of a protocol's step current.</summary>
    public static StimulusWindow Of(HhProtocol protocol) =>
        new(protocol.StimulusOnsetMs, protocol.StimulusOnsetMs + protocol.StimulusDurationMs);
}
