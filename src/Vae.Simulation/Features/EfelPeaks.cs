using System.Runtime.CompilerServices;

namespace Vae.Simulation.Features;

/// <summary>
/// Spike peaks as eFEL finds them (SpikeEvent.cpp, <c>__peak_indices</c>): upward crossings of the threshold
/// (<c>V[i-1] &lt; th &lt; V[i]</c>) and downward crossings (<c>V[i-1] &gt; th &gt; V[i]</c>) over the whole trace,
/// downward ones before the first upward one dropped, upward ones without a downward partner dropped; the k-th
/// peak is the first maximum of V between the k-th upward and k-th downward crossing, both included. As with
/// eFEL's <c>strict_stiminterval = True</c>, only peaks at times within the stimulus window are kept.
/// </summary>
public static class EfelPeaks
{
    /// <summary>Indices of the peaks of <paramref name="v"/>, in time order, into <paramref name="peaks"/> (cleared first).</summary>
    public static void Find(ReadOnlySpan<double> v, ReadOnlySpan<double> t, double threshold, StimulusWindow window, List<int> peaks) =>
        Find(v, t, threshold, window, peaks, new List<int>(), new List<int>());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Find(ReadOnlySpan<double> v, ReadOnlySpan<double> t, double threshold, StimulusWindow window,
        List<int> peaks, List<int> up, List<int> down)
    {
        peaks.Clear();
        up.Clear();
        down.Clear();
        for (int i = 1; i < v.Length; i++)
        {
            if (v[i] > threshold && v[i - 1] < threshold)
                up.Add(i);
            else if (v[i] < threshold && v[i - 1] > threshold)
                down.Add(i);
        }
        if (up.Count == 0 || down.Count == 0)
            return;
        int firstDown = 0;
        while (firstDown < down.Count && down[firstDown] < up[0])
            firstDown++;
        int pairs = Math.Min(up.Count, down.Count - firstDown);
        for (int k = 0; k < pairs; k++)
        {
            int best = -1;
            double highest = double.NegativeInfinity;
            for (int j = up[k]; j <= down[firstDown + k]; j++)
                if (v[j] > highest)
                {
                    highest = v[j];
                    best = j;
                }
            if (best >= 0 && t[best] >= window.OnsetMs && t[best] <= window.EndMs)
                peaks.Add(best);
        }
    }
}
