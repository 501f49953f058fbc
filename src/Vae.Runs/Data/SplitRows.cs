using static TorchSharp.torch;

namespace Vae.Runs.Data;

/// <summary>
/// A split of an HH file's model input read on demand: example k of the split is trace <c>indices[k]</c> of the file.
/// The rows are the same values as those the in-memory split holds; only where they come from differs.
/// </summary>
public sealed class SplitRows(HhModelInput input, int[] indices) : ModelInputRows
{
    /// <inheritdoc/>
    public override int Count => indices.Length;

    /// <inheritdoc/>
    public override int Features => input.Features;

    /// <inheritdoc/>
    public override Tensor Rows(IReadOnlyList<int> rows)
    {
        var traces = new int[rows.Count];
        for (var k = 0; k < rows.Count; k++)
            traces[k] = indices[rows[k]];
        return input.Rows(traces);
    }

    /// <inheritdoc/>
    public override Tensor Rows(int first, int count) =>
        // A split is contiguous in the file as simulate writes it (train, then test): one block read.
        count > 0 && indices[first + count - 1] - indices[first] == count - 1
            ? input.Rows(indices[first], count)
            : Rows(Enumerable.Range(first, count).ToArray());
}
