using Vae.Simulation.Storage;

namespace Vae.Runs.Data;

/// <summary>
/// The dataset-wide scaling of HH traces: one affine map, mV = scaled * <see cref="Scale"/> + <see cref="Offset"/>,
/// fitted on the training split so that its traces span [0, 1] together (test traces may fall slightly outside).
/// Unlike the study's per-trace scaling it keeps the amplitudes (peak, trough, resting level) the model sees.
/// </summary>
public sealed record TraceScaling(double Offset, double Scale)
{
    /// <summary>The map that sends the lowest training voltage to 0 and the highest to 1.</summary>
    public static TraceScaling Fit(HhFile hh, IEnumerable<int> trainIndices)
    {
        var idx = trainIndices.ToArray();
        var lo = idx.Min(i => hh.RawMin[i]);
        var hi = idx.Max(i => hh.RawMax[i]);
        if (!(hi > lo))
            throw new InvalidDataException($"{hh.Path}: the training traces are constant ({lo} mV); dataset scaling needs a voltage range.");
        return new TraceScaling(lo, hi - lo);
    }

    /// <summary>Trace <paramref name="i"/> of <paramref name="hh"/> in mV, undoing the file's per-trace scaling.</summary>
    public static double[] Millivolts(HhFile hh, int i)
    {
        var (min, span) = (hh.RawMin[i], hh.RawMax[i] - hh.RawMin[i]);
        var mv = new double[hh.Length];
        for (var t = 0; t < hh.Length; t++)
            mv[t] = hh.Traces[(long)i * hh.Length + t] * span + min;
        return mv;
    }

    /// <summary>Writes trace <paramref name="i"/> of <paramref name="hh"/> under this map into <paramref name="into"/>.</summary>
    public void Apply(HhFile hh, int i, Span<float> into)
    {
        var (min, span) = (hh.RawMin[i], hh.RawMax[i] - hh.RawMin[i]);
        for (var t = 0; t < hh.Length; t++)
            into[t] = (float)((hh.Traces[(long)i * hh.Length + t] * span + min - Offset) / Scale);
    }

    /// <summary>A model-space value in mV.</summary>
    public double ToMillivolts(double scaled) => scaled * Scale + Offset;
}
