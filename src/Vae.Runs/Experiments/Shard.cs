using Vae.Runs;
using System.Globalization;

namespace Vae.Runs.Experiments;

/// <summary>
/// Part <see cref="Index"/> of <see cref="Count"/> of an experiment's selected configs (1-based, as Slurm array
/// indices are written). Every config falls in exactly one shard.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>
    /// Parses <c>i/n</c> with 1 &lt;= i &lt;= n; throws <see cref="UserInputException"/> naming <paramref name="what"/>
    /// (the option or command that takes it) otherwise.
    /// </summary>
    public static Shard Parse(string text, string what)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && i >= 1 && i <= n)
            return new Shard(i, n);
        throw new UserInputException($"{what} takes i/n with 1 <= i <= n (e.g. 2/4), got '{text}'.");
    }

    /// <summary>
    /// The shard (0-based) of each item: longest-processing-time first, i.e. items taken by decreasing cost
    /// (ties in their given order) and each put in the shard with the least cost so far (ties: the lowest
    /// index). Deterministic for given costs and order; no shard's cost exceeds the best split's by more than a third.
    /// </summary>
    public static int[] Assign(IReadOnlyList<double> costs, int count)
    {
        var load = new double[count];
        var shardOf = new int[costs.Count];
        foreach (var i in Enumerable.Range(0, costs.Count).OrderByDescending(i => costs[i]).ThenBy(i => i))
        {
            var best = 0;
            for (var s = 1; s < count; s++)
                if (load[s] < load[best])
                    best = s;
            shardOf[i] = best;
            load[best] += costs[i];
        }
        return shardOf;
    }

    /// <summary>The items of this shard, in their given order, balanced by <paramref name="cost"/>.</summary>
    public List<T> Of<T>(IReadOnlyList<T> items, Func<T, double> cost)
    {
        var shardOf = Assign(items.Select(cost).ToList(), Count);
        return items.Where((_, i) => shardOf[i] == Index - 1).ToList();
    }
}
