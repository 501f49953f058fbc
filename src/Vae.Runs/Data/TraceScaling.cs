using System.Buffers;
using Vae.Simulation.Storage;

namespace Vae.Runs.Data;

/// <summary>
/// The dataset-wide scaling of HH traces: one affine map, mV = scaled * <see cref="Scale"/> + <see cref="Offset"/>,
/// fitted on the training split so that its traces span [0, 1] together (test traces may fall slightly outside).
/// Unlike the study's per-trace scaling (<see cref="Vae.Simulation.Traces.TraceScaling"/>, which HDF5 files store) it keeps the amplitudes (peak,
/// trough, resting level) the model sees.
/// </summary>
public sealed record TraceScaling(double Offset, double Scale)
{
    /// <summary>The map that sends the lowest training voltage to 0 and the highest to 1.</summary>
    public static TraceScaling Fit(HhDatasetFile hh, IEnumerable<int> trainIndices)
    {
        var idx = trainIndices.ToArray();
        var lo = idx.Min(i => hh.RawMin[i]);
        var hi = idx.Max(i => hh.RawMax[i]);
        if (!(hi > lo))
            throw new InvalidDataException($"{hh.Path}: the training traces are constant ({lo} mV); dataset scaling needs a voltage range.");
        return new TraceScaling(lo, hi - lo);
    }

    /// <summary>Writes trace <paramref name="i"/> of <paramref name="hh"/> under this map into <paramref name="into"/>.</summary>
    public void Apply(HhDatasetFile hh, int i, Span<float> into)
    {
        hh.ReadRows(i, 1, into);
        ApplyInPlace(hh, i, into);
    }

    /// <summary>
    /// Maps trace <paramref name="i"/> of <paramref name="hh"/>, given in <paramref name="stored"/> as the file stores it
    /// (scaled per trace), in place: the file's per-trace scaling is undone by its owner
    /// (<see cref="Vae.Simulation.Traces.TraceScaling.Unscale"/>), then this map applies.
    /// </summary>
    public void ApplyInPlace(HhDatasetFile hh, int i, Span<float> stored)
    {
        var mv = ArrayPool<double>.Shared.Rent(hh.Length);
        try
        {
            Vae.Simulation.Traces.TraceScaling.Unscale(stored[..hh.Length], hh.RawMin[i], hh.RawMax[i], mv.AsSpan(0, hh.Length));
            for (var t = 0; t < hh.Length; t++)
                stored[t] = (float)((mv[t] - Offset) / Scale);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(mv);
        }
    }

    /// <summary>A model-space value in mV.</summary>
    public double ToMillivolts(double scaled) => scaled * Scale + Offset;
}
