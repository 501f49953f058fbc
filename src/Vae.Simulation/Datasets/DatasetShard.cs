namespace Vae.Simulation.Datasets;

/// <summary>
/// Part <see cref="Index"/> (1-based, as Slurm array indices are written) of <see cref="Count"/> of a dataset of
/// <see cref="Total"/> traces: the contiguous block of rows <c>[First, First + Rows)</c>, with
/// <c>First = floor((Index - 1) Total / Count)</c>. Blocks are in order, cover every row once and differ in size by
/// at most one. Because trace i depends only on (seed, i) or on row i of a parameter file, a shard holds exactly the
/// rows the one-process dataset has there.
/// </summary>
public sealed record DatasetShard(int Index, int Count, int Total)
{
    /// <summary>The first row of the shard in the whole dataset.</summary>
    public int First => Boundary(Index - 1);

    /// <summary>Number of rows in the shard.</summary>
    public int Rows => Boundary(Index) - First;

    /// <summary>The whole dataset as a single shard.</summary>
    public static DatasetShard Whole(int total) => new(1, 1, total);

    /// <summary>Throws <see cref="SimulationInputException"/> unless 1 &lt;= Index &lt;= Count &lt;= Total.</summary>
    public void Validate()
    {
        if (!(Count >= 1 && Index >= 1 && Index <= Count))
            throw new SimulationInputException($"shard {Index}/{Count} does not exist; use i/n with 1 <= i <= n.");
        if (Count > Total)
            throw new SimulationInputException($"{Total} traces cannot be split into {Count} shards; use at most {Total}.");
    }

    private int Boundary(int k) => (int)((long)k * Total / Count);
}
