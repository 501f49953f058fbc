using Vae.Simulation.Datasets;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Features;

/// <summary>
/// Copies the stored (scaled) traces <paramref name="first"/> .. + <paramref name="count"/> - 1, row-major, into
/// <paramref name="into"/>.
/// </summary>
public delegate void TraceRowsReader(int first, int count, Span<float> into);

/// <summary>
/// Traces to compute features of, as a dataset stores them: <paramref name="ReadRows"/> serves the rows of
/// <paramref name="Length"/> samples in [0, 1] a block at a time (from memory or from a file), the per-trace
/// <paramref name="RawMin"/> and <paramref name="RawMax"/> (mV) undo the scaling, with the sample times (ms from the
/// start of recording), the stimulus window and which rows are training rows (where the dataset-wide map of
/// <see cref="TraceUnits.Scaled"/> is fitted). Only the per-trace arrays are held; the traces stay with their source.
/// </summary>
public sealed record FeatureTraces(
    TraceRowsReader ReadRows, int Count, int Length, double[] RawMin, double[] RawMax, double[] TimeMs, StimulusWindow Stimulus,
    bool[] IsTrain)
{
    // The length of an in-memory array of traces, checked against the shape by Validate; null for any other source.
    private readonly long? _heldSamples;

    /// <summary>Traces held in memory: <paramref name="scaled"/> rows, row-major <paramref name="count"/> x <paramref name="length"/>.</summary>
    public FeatureTraces(float[] scaled, int count, int length, double[] rawMin, double[] rawMax, double[] timeMs, StimulusWindow stimulus,
        bool[] isTrain)
        : this(RowsOf(scaled, length), count, length, rawMin, rawMax, timeMs, stimulus, isTrain) => _heldSamples = scaled.LongLength;

    /// <summary>The traces of a simulated dataset, with its protocol's stimulus and split.</summary>
    public static FeatureTraces From(HhDataset data) => new(
        data.Scaled, data.Count, data.SampleCount, data.RawMin, data.RawMax, data.Protocol.TimeAxis(),
        StimulusWindow.Of(data.Protocol), Enumerable.Range(0, data.Count).Select(i => i < data.TrainCount).ToArray());

    /// <summary>
    /// The traces of a dataset file, read through its <see cref="HhDatasetFile.ReadRows(int, int, Span{float})"/> (from memory for an
    /// <see cref="HhFile"/>, from disk for an <see cref="HhStreamedFile"/>, which must stay open while they are read),
    /// with the stimulus of the protocol the file names (its <c>protocol</c> attribute); a file whose protocol is not
    /// one of <see cref="HhProtocol.All"/> is an <see cref="InvalidDataException"/>.
    /// </summary>
    public static FeatureTraces From(HhDatasetFile file)
    {
        var protocol = HhProtocol.All.FirstOrDefault(p => p.Name == file.Protocol)
            ?? throw new InvalidDataException($"{file.Path}: protocol '{file.Protocol}' is not one of "
                + $"{string.Join(", ", HhProtocol.All.Select(p => p.Name))}, so its stimulus onset is unknown.");
        return new(file.ReadRows, file.Count, file.Length, file.RawMin, file.RawMax, file.Time, StimulusWindow.Of(protocol),
            file.Split.Select(s => s == 0).ToArray());
    }

    /// <summary>
    /// The dataset-wide affine map of <see cref="TraceUnits.Scaled"/>: the mean raw min and mean raw max (mV) over the
    /// training rows (all rows when none is marked), i.e. where a typical trace's 0 and 1 lie in mV.
    /// </summary>
    public (double Low, double High) TrainingRange
    {
        get
        {
            double low = 0, high = 0;
            int n = 0;
            bool any = IsTrain.Contains(true);
            for (int i = 0; i < Count; i++)
                if (!any || IsTrain[i])
                {
                    low += RawMin[i];
                    high += RawMax[i];
                    n++;
                }
            return (low / n, high / n);
        }
    }

    /// <summary>Throws <see cref="SimulationInputException"/> naming the first inconsistency.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message) { if (!ok) throw new SimulationInputException(message); }
        Require(Count >= 1 && Length >= 1, $"features need at least one trace of at least one sample, got {Count} x {Length}.");
        Require(_heldSamples is not long held || held == (long)Count * Length,
            $"{_heldSamples} scaled samples do not fill {Count} traces of {Length}.");
        Require(RawMin.Length == Count && RawMax.Length == Count, "raw min and max need one value per trace.");
        Require(TimeMs.Length == Length, $"the time axis has {TimeMs.Length} samples, the traces {Length}.");
        Require(IsTrain.Length == Count, "the split needs one entry per trace.");
        for (int i = 1; i < TimeMs.Length; i++)
            Require(TimeMs[i] > TimeMs[i - 1], $"the time axis must increase; it does not at sample {i}.");
        Require(double.IsFinite(Stimulus.OnsetMs) && Stimulus.EndMs > Stimulus.OnsetMs,
            $"the stimulus window [{Stimulus.OnsetMs}, {Stimulus.EndMs}] ms is not valid.");
    }

    private static TraceRowsReader RowsOf(float[] scaled, int length) =>
        (first, count, into) => scaled.AsSpan(first * length, count * length).CopyTo(into);
}
