using System.Buffers;
using Vae.Simulation.Noise;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Storage;

/// <summary>
/// An HH dataset file as its readers see it: the per-trace arrays (raw min/max in mV, gK/gNa, split) and the time
/// axis in memory, and the scaled traces [<see cref="Count"/>, <see cref="Length"/>] served a block of rows at a
/// time, either from memory (<see cref="HhFile"/>) or from the file on demand (<see cref="HhStreamedFile"/>).
/// </summary>
public abstract record HhDatasetFile(
    string Path, int Count, int Length, double[] RawMin, double[] RawMax, double[] Parameters, double[] Time, byte[] Split,
    string Protocol, string Seed)
{
    /// <summary>The content hash of the arrays (<see cref="HhContentHash"/>); a stored one that disagrees is refused on reading.</summary>
    public abstract string ContentHash { get; }

    /// <summary>The noise the traces were simulated with (root attributes <see cref="HhNoiseAttributes"/>; none when absent).</summary>
    public HhNoise Noise { get; init; } = HhNoise.None;

    /// <summary>Indices of the training traces (split 0), in file order.</summary>
    public int[] TrainIndices => Enumerable.Range(0, Count).Where(i => Split[i] == 0).ToArray();
    /// <summary>Indices of the test traces (split 1), in file order.</summary>
    public int[] TestIndices => Enumerable.Range(0, Count).Where(i => Split[i] == 1).ToArray();

    /// <summary>Scaled traces <paramref name="first"/> .. + <paramref name="count"/> - 1 as stored, row-major into <paramref name="into"/>.</summary>
    public abstract void ReadRows(int first, int count, Span<float> into);

    /// <summary>
    /// Traces <paramref name="rows"/>[<paramref name="first"/>] .. [<paramref name="first"/> + <paramref name="count"/> - 1]
    /// as stored, in that order, row-major into <paramref name="into"/>; runs of consecutive rows are read at once.
    /// </summary>
    public void ReadRows(IReadOnlyList<int> rows, int first, int count, Span<float> into)
    {
        for (int k = 0, run; k < count; k += run)
        {
            var row = rows[first + k];
            for (run = 1; k + run < count && rows[first + k + run] == row + run; run++) { }
            ReadRows(row, run, into.Slice(k * Length, run * Length));
        }
    }

    /// <summary>Trace <paramref name="i"/> in mV, undoing the file's per-trace scaling, into <paramref name="into"/> [Length].</summary>
    public virtual void Millivolts(int i, Span<double> into)
    {
        var row = ArrayPool<float>.Shared.Rent(Length);
        try
        {
            ReadRows(i, 1, row.AsSpan(0, Length));
            TraceScaling.Unscale(row.AsSpan(0, Length), RawMin[i], RawMax[i], into);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(row);
        }
    }

    /// <summary>Checks the per-trace arrays against the shape; problems are <see cref="InvalidDataException"/> naming the file.</summary>
    private protected void ValidateArrays()
    {
        Require(RawMin.Length == Count && RawMax.Length == Count, "/raw_min and /raw_max need one value per trace");
        Require(Parameters.Length == 2 * Count, "/parameters must be [N, 2]");
        Require(Time.Length == Length, "/time needs one value per sample");
        Require(Split.Length == Count && Split.All(s => s <= 1), "/split needs one 0 (train) or 1 (test) per trace");
        Require(Split.Any(s => s == 0) && Split.Any(s => s == 1), "the split needs at least one training and one test trace");
        Require(RawMin.All(double.IsFinite) && RawMax.All(double.IsFinite),
            "/raw_min or /raw_max holds non-finite values (NaN or infinity); simulate the dataset again");
    }

    /// <summary>Throws an <see cref="InvalidDataException"/> naming the file and <paramref name="what"/> unless <paramref name="ok"/>.</summary>
    private protected void Require(bool ok, string what)
    {
        if (!ok)
            throw new InvalidDataException($"{Path}: {what}");
    }

    /// <summary>The message of traces that are not all finite.</summary>
    private protected const string NonFiniteTraces = "/traces holds non-finite values (NaN or infinity); simulate the dataset again";
}
