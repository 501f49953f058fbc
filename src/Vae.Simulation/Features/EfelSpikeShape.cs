using System.Runtime.CompilerServices;

namespace Vae.Simulation.Features;

/// <summary>
/// The pieces of eFEL's spike-shape features for one spike (SpikeShape.cpp and Utils.cpp): the derivative, AP
/// begin, AP end, the half-height crossings and the first minimum after a peak. Each returns -1 where eFEL finds
/// nothing.
/// </summary>
public static class EfelSpikeShape
{
    /// <summary>
    /// dV/dt at sample <paramref name="i"/> as eFEL's <c>getCentralDifferenceDerivative</c> gives it: central
    /// differences of V over central differences of t inside, one-sided differences at both ends.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Derivative(ReadOnlySpan<double> v, ReadOnlySpan<double> t, int i)
    {
        int n = v.Length;
        if (i == 0)
            return (v[1] - v[0]) / (t[1] - t[0]);
        if (i == n - 1)
            return (v[n - 1] - v[n - 2]) / (t[n - 1] - t[n - 2]);
        return (v[i + 1] - v[i - 1]) / (t[i + 1] - t[i - 1]);
    }

    /// <summary>First sample at or after <paramref name="onsetMs"/> (the trace length when there is none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FirstIndexAtOrAfter(ReadOnlySpan<double> t, double onsetMs)
    {
        for (int i = 0; i < t.Length; i++)
            if (t[i] >= onsetMs)
                return i;
        return t.Length;
    }

    /// <summary>
    /// eFEL's lower bound of the AP-begin search for the first spike: two samples before the stimulus begins
    /// (one when the stimulus begins at sample 1, zero at sample 0), so a begin right at onset is not missed.
    /// </summary>
    public static int FirstSpikeSearchStart(int stimulusBeginIndex) => stimulusBeginIndex switch
    {
        > 1 => stimulusBeginIndex - 2,
        1 => 0,
        _ => stimulusBeginIndex,
    };

    /// <summary>
    /// AP begin of the spike peaking at <paramref name="peak"/> (<c>__AP_begin_indices</c>): going back from the peak
    /// towards <paramref name="searchStart"/>, the sample after the last one with dV/dt &lt;= threshold, such that dV/dt
    /// stays &gt;= threshold for <paramref name="window"/> samples from it; if that fails the search continues
    /// further back. -1 when the search reaches <paramref name="searchStart"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ApBegin(ReadOnlySpan<double> v, ReadOnlySpan<double> t, int peak, int searchStart, double threshold, int window)
    {
        int n = v.Length;
        int from = peak;
        while (true)
        {
            int begin = searchStart;
            for (int k = from - 1; k >= searchStart; k--)
                if (Derivative(v, t, k) <= threshold)
                {
                    begin = k + 1;
                    break;
                }
            if (begin > n - window)
                begin = n - window;
            if (begin <= searchStart)
                return -1;
            bool stays = true;
            for (int k = begin; k < begin + window; k++)
                if (Derivative(v, t, k) < threshold)
                {
                    stays = false;
                    break;
                }
            if (stays)
                return begin;
            from = begin - 1;
        }
    }

    /// <summary>
    /// AP end of the spike peaking at <paramref name="peak"/> (<c>__AP_end_indices</c>): between the sample after the
    /// peak and <paramref name="next"/> (the next peak, or the last sample), the first sample from the steepest fall
    /// on whose dV/dt is &gt;= <paramref name="downThreshold"/>. -1 when there is none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ApEnd(ReadOnlySpan<double> v, ReadOnlySpan<double> t, int peak, int next, double downThreshold)
    {
        int start = peak + 1;
        if (start >= next || next >= v.Length)
            return -1;
        int steepest = start;
        double lowest = Derivative(v, t, start);
        for (int k = start + 1; k < next; k++)
        {
            double d = Derivative(v, t, k);
            if (d < lowest)
            {
                lowest = d;
                steepest = k;
            }
        }
        for (int k = steepest; k < next; k++)
            if (Derivative(v, t, k) >= downThreshold)
                return k;
        return -1;
    }

    /// <summary>
    /// The sample in [<paramref name="from"/>, <paramref name="to"/>) closest to <paramref name="level"/> (the first
    /// of equals), as eFEL's AP rise and fall indices pick the half-height sample; <paramref name="from"/> when the
    /// range is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Closest(ReadOnlySpan<double> v, int from, int to, double level)
    {
        int best = from;
        double distance = double.PositiveInfinity;
        for (int k = from; k < to; k++)
        {
            double d = Math.Abs(v[k] - level);
            if (d < distance)
            {
                distance = d;
                best = k;
            }
        }
        return best;
    }

    /// <summary>
    /// eFEL's <c>first_min_element</c> over [<paramref name="from"/>, <paramref name="to"/>): the running minimum as
    /// soon as two later samples are not below it, otherwise the overall minimum (first of equals). -1 for an
    /// empty range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FirstMinimum(ReadOnlySpan<double> v, int from, int to)
    {
        if (from >= to)
            return -1;
        int lowest = from, lowestMin = from, notBelow = 0;
        for (int k = from + 1; k < to; k++)
        {
            if (v[k] < v[lowest])
                lowest = k;
            if (v[k] >= v[lowestMin])
                notBelow++;
            else
            {
                notBelow = 0;
                lowestMin = k;
            }
            if (notBelow == 2)
                return lowestMin;
        }
        return lowest;
    }
}
