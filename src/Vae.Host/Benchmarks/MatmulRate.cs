using System.Diagnostics;
using static TorchSharp.torch;

namespace Vae.Host.Benchmarks;

/// <summary>
/// The machine's matrix-multiply rate as libtorch reaches it: one float32 <c>torch.mm</c> of two 2048 x 2048
/// matrices (17.2 GFLOP), the yardstick that training steps are compared against.
/// </summary>
public sealed class MatmulRate : IDisposable
{
    /// <summary>Side of the square matrices.</summary>
    public const int Size = 2048;

    /// <summary>FLOPs of one product: 2 n^3 (a multiply and an add per term).</summary>
    public const double Flops = 2.0 * Size * Size * Size;

    private readonly Tensor _a;
    private readonly Tensor _b;

    /// <summary>Draws the two matrices from <paramref name="gen"/>.</summary>
    public MatmulRate(Generator gen)
    {
        _a = randn([Size, Size], generator: gen);
        _b = randn([Size, Size], generator: gen);
    }

    /// <summary>Seconds of one product.</summary>
    public double Time()
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        mm(_a, _b);
        return clock.Elapsed.TotalSeconds;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
