using Vae.Runs;
using Vae.Runs.Experiments;

namespace Vae.Runs.Tests.Experiments;

/// <summary>Shards partition any selection of configs, deterministically and balanced by cost.</summary>
public sealed class ShardTests
{
    private static readonly IReadOnlyList<SweepEntry> All = PaperSweeps.All("hh.h5", null);

    [Fact]
    public void Shards_partition_every_selection_in_order_deterministically_and_balanced()
    {
        var rng = new Random(14);
        for (var trial = 0; trial < 500; trial++)
        {
            var selection = All.Where(_ => rng.NextDouble() < 0.5).ToList();
            // Costs with many ties (as configs of one architecture have), sometimes zero.
            var cost = selection.ToDictionary(e => e.Name, _ => (double)rng.Next(0, 6) * 100);
            var n = rng.Next(1, 12);
            var shards = Enumerable.Range(1, n).Select(i => new Shard(i, n).Of(selection, e => cost[e.Name])).ToList();

            var union = shards.SelectMany(s => s).Select(e => e.Name).ToList();
            Assert.Equal(selection.Count, union.Count);
            Assert.Equal(selection.Select(e => e.Name).Order(), union.Order());
            foreach (var s in shards)
                Assert.Equal(selection.Where(s.Contains).Select(e => e.Name), s.Select(e => e.Name)); // the given order
            Assert.Equal(shards.Select(s => s.Select(e => e.Name).ToList()),
                Enumerable.Range(1, n).Select(i => new Shard(i, n).Of(selection, e => cost[e.Name]).Select(e => e.Name).ToList()));
            if (selection.Count > 0)
            {
                // Greedy list scheduling never exceeds the mean load plus the largest item.
                var loads = shards.Select(s => s.Sum(e => cost[e.Name])).ToList();
                Assert.True(loads.Max() <= loads.Sum() / n + cost.Values.Max() + 1e-9, $"trial {trial}: loads {string.Join(",", loads)}");
            }
        }
    }

    [Fact]
    public void Longest_first_splits_a_known_case_optimally()
    {
        // Taken as 7, 5, 4, 3 (the first 3), 3, 2 onto two shards: 7 | 5, 4 | 7 + 3 | 9 + 3 | 10 + 2 = 12 and 12.
        var shardOf = Shard.Assign([3, 7, 2, 5, 3, 4], 2);
        Assert.Equal([0, 0, 0, 1, 1, 1], shardOf);
    }

    [Theory]
    [InlineData("2/4", 2, 4)]
    [InlineData("1/1", 1, 1)]
    public void Parses_i_of_n(string text, int i, int n) => Assert.Equal(new Shard(i, n), Shard.Parse(text, "--shard"));

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("4")]
    [InlineData("a/b")]
    [InlineData("-1/2")]
    [InlineData("1/0")]
    public void Rejects_anything_else(string text)
    {
        var e = Assert.Throws<UserInputException>(() => Shard.Parse(text, "--shard"));
        Assert.Contains("--shard", e.Message);
    }
}
