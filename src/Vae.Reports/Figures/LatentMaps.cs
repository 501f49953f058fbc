using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Reports.Html;
using Vae.Model;
using Vae.Model.Analysis;
using static TorchSharp.torch;

namespace Vae.Reports.Figures;

/// <summary>
/// Maps of where a run puts the test set in latent space: the posterior means themselves for two latent
/// dimensions, their first two principal components for more, and for one the code against the colour value.
/// Coloured by digit for MNIST, by gK and by gNa for HH traces.
/// </summary>
public static class LatentMaps
{
    /// <summary>One map per colouring: [digit] for images, [gK, gNa] for traces.</summary>
    public static IReadOnlyList<PointMap> Of(TrainingData data, ITrainedModel model, string title)
    {
        using var scope = NewDisposeScope();
        // Encoded a batch at a time: the test split is never held whole, only its codes.
        var (codes, _) = BatchedInference.Encode(model, data.Test.Count, data.Test.Rows);
        var mu = tensor(codes, [data.Test.Count, model.LatentDim], ScalarType.Float32);
        (string, double[], bool)[] colourings = data switch
        {
            MnistImages images => [("digit", images.TestLabels.Select(l => (double)l).ToArray(), true)],
            HhTraces traces =>
            [
                ("gK (mS/cm2)", traces.TestConductances.Select(c => c.GK).ToArray(), false),
                ("gNa (mS/cm2)", traces.TestConductances.Select(c => c.GNa).ToArray(), false),
            ],
            _ => throw new ArgumentException($"no latent maps of {data.GetType().Name}", nameof(data)),
        };
        var n = (int)mu.shape[0];
        var z = (int)mu.shape[1];
        return colourings.Select(c =>
        {
            var (label, value, categorical) = c;
            var (x, y, xLabel, yLabel) = Coordinates(mu, n, z, value, categorical, label);
            return new PointMap($"{title}, by {label.Split(' ')[0]}", xLabel, yLabel, x, y, value, label, categorical);
        }).ToList();
    }

    private static (double[] X, double[] Y, string XLabel, string YLabel) Coordinates(
        Tensor mu, int n, int z, double[] value, bool categorical, string valueLabel)
    {
        if (z == 1)
        {
            // A golden-ratio jitter spreads each category into a band without a random generator.
            var y = categorical ? value.Select((v, i) => v + 0.6 * ((i * 0.6180339887 % 1.0) - 0.5)).ToArray() : value;
            return (Column(mu, 0), y, "z1 (posterior mean)", categorical ? $"{valueLabel} (jittered)" : valueLabel);
        }
        if (z == 2)
            return (Column(mu, 0), Column(mu, 1), "z1 (posterior mean)", "z2 (posterior mean)");
        var (projected, explained) = Pca.principalComponents(mu, 2).ToValueTuple();
        return (Column(projected, 0), Column(projected, 1),
            $"PC1 of the means ({explained[0]:P0} of variance)", $"PC2 ({explained[1]:P0})");
    }

    private static double[] Column(Tensor t, int j) =>
        t.select(1, j).to(ScalarType.Float64).contiguous().data<double>().ToArray();
}
