using static TorchSharp.torch;

namespace Vae.Runs.Data;

/// <summary>
/// Examples as a model's input, served in batches: a split of a dataset, or every trace of an HH file. Callers ask for
/// rows and never index the storage, so an implementation may hold the rows in memory or read them from the file.
/// </summary>
public abstract class ModelInputRows : IDisposable
{
    /// <summary>Number of examples.</summary>
    public abstract int Count { get; }

    /// <summary>Features per example: the model's input width.</summary>
    public abstract int Features { get; }

    /// <summary>
    /// The examples <paramref name="rows"/> (in that order) as model input [rows, features], float32; the caller owns
    /// the tensor (a dispose scope frees it).
    /// </summary>
    public abstract Tensor Rows(IReadOnlyList<int> rows);

    /// <summary>Examples <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1 as model input.</summary>
    public virtual Tensor Rows(int first, int count) => Rows(Enumerable.Range(first, count).ToArray());

    /// <summary>
    /// The examples in order, <paramref name="size"/> at a time (the last batch may be smaller), each read when the
    /// enumeration reaches it; the caller owns and disposes each batch.
    /// </summary>
    public IEnumerable<Tensor> Batches(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        for (var first = 0; first < Count; first += size)
            yield return Rows(first, Math.Min(size, Count - first));
    }

    /// <summary>Every example as one batch: for the analyses that need a whole split at once (PCA, regressors).</summary>
    public Tensor All() => Rows(0, Count);

    /// <summary>Frees what the rows hold.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>Rows held in memory as one float32 tensor [n, features], which these rows own.</summary>
public sealed class InMemoryRows(Tensor values) : ModelInputRows
{
    /// <inheritdoc/>
    public override int Count => (int)values.shape[0];

    /// <inheritdoc/>
    public override int Features => (int)values.shape[1];

    /// <inheritdoc/>
    public override Tensor Rows(IReadOnlyList<int> rows)
    {
        using var idx = tensor(rows.Select(i => (long)i).ToArray());
        return values.index_select(0, idx);
    }

    /// <inheritdoc/>
    public override Tensor Rows(int first, int count) => values.narrow(0, first, count);

    /// <inheritdoc/>
    public override void Dispose()
    {
        values.Dispose();
        base.Dispose();
    }
}
