namespace Vae.Simulation.Features;

/// <summary>Per-thread working memory of the feature computation, reused from trace to trace.</summary>
internal sealed class FeatureScratch
{
    public List<int> Peaks { get; } = new();
    public List<int> Up { get; } = new();
    public List<int> Down { get; } = new();
    public double[] Trace = [];
    public float[] Rows = [];

    /// <summary>A buffer of <paramref name="length"/> doubles for one trace.</summary>
    public Span<double> TraceBuffer(int length)
    {
        if (Trace.Length < length)
            Trace = new double[length];
        return Trace.AsSpan(0, length);
    }

    /// <summary>A buffer of <paramref name="samples"/> floats for a block of stored rows.</summary>
    public Span<float> RowsBuffer(int samples)
    {
        if (Rows.Length < samples)
            Rows = new float[samples];
        return Rows.AsSpan(0, samples);
    }
}
