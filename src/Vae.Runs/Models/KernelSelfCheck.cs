using Microsoft.FSharp.Collections;
using Vae.Model;

namespace Vae.Runs.Models;

/// <summary>
/// The model layer's kernel self-check (<see cref="KernelCheck"/>) as the host runs it: before training, over the
/// convolutions of the model about to train; in <c>info</c>, over the product's models and the small shapes a
/// user's configuration can give.
/// </summary>
public static class KernelSelfCheck
{
    /// <summary>
    /// Refuses to train on a processor where a float32 convolution of the model is wrong: one line naming the
    /// first wrong layer and its error, a failed run (exit 1) before any run folder exists.
    /// </summary>
    public static void Require(FSharpList<KernelCheck.ConvLayer> convolutions)
    {
        foreach (var layer in convolutions)
        {
            var verdict = KernelCheck.check(layer);
            if (!KernelCheck.passed(verdict))
                throw new RunFailedException(
                    $"the float32 kernel of {layer} is wrong on this processor ({Describe(verdict)}), so training would learn from wrong numbers; " +
                    "`info` runs the whole kernel self-check, and tools/deconv_zen4_repro.fsx reproduces such a kernel for a report to libtorch.");
        }
    }

    /// <summary>Runs the self-check on the product's models and the small shapes and prints one line per group.</summary>
    /// <returns>Whether every layer passed.</returns>
    public static bool Report(TextWriter output)
    {
        var groups = new (string Name, FSharpList<KernelCheck.ConvLayer> Layers)[]
        {
            ("trace Conv-VAE", ConvVae1d.convolutions(ConvVae1d.defaultConfig)),
            ("image Conv-VAE", ConvVae2d.convolutions(ConvVae2d.defaultConfig)),
            ("small shapes (1-32 channels, strides 1 and 2)", KernelCheck.smallShapes),
        };
        var allRight = true;
        output.WriteLine($"kernel self-check (float32 against float64, forward and gradients, {KernelCheck.trials} trials, "
            + $"tolerance {KernelCheck.tolerance:g1}):");
        foreach (var (name, layers) in groups)
        {
            var verdicts = KernelCheck.checkAll(layers).ToList();
            var wrong = verdicts.Where(v => !KernelCheck.passed(v)).ToList();
            allRight &= wrong.Count == 0;
            var worst = verdicts.Max(v => v.Worst);
            output.WriteLine(wrong.Count == 0
                ? $"  {name}: {verdicts.Count} convolutions right (largest error {worst:g2})"
                : $"  {name}: WRONG {wrong.Count} of {verdicts.Count}: " + string.Join("; ", wrong.Select(v => $"{v.Layer}: {Describe(v)}")));
        }
        foreach (var (name, verdict) in KernelCheck.avoidedKernels())
            output.WriteLine($"  libtorch's {name}, which the layers do not use: "
                + $"{(KernelCheck.passed(verdict) ? "right" : $"wrong here ({Describe(verdict)})")}");
        return allRight;
    }

    private static string Describe(KernelCheck.Verdict v) =>
        $"relative error: output {v.Output:g2}, input gradient {v.InputGradient:g2}, weight gradient {v.WeightGradient:g2}, "
            + $"bias gradient {v.BiasGradient:g2}";
}
