using Microsoft.FSharp.Collections;
using TorchSharp;
using Vae.Host.Data;
using Vae.Host.Training;
using Vae.Model;

namespace Vae.Host.Models;

/// <summary>Something done with a model whatever its parameter type (a training run, an evaluation).</summary>
public interface IModelUser<out TResult>
{
    /// <summary>Uses <paramref name="vae"/>, whose fresh parameters <paramref name="init"/> draws from a generator.</summary>
    TResult Use<TParams>(Vae<TParams> vae, Func<torch.Generator, TParams> init);
}

/// <summary>The models of the study by name, sized for the data: mlp, dnn and conv for images and traces.</summary>
public static class ModelCatalog
{
    /// <summary>Builds the model of <paramref name="cfg"/> for data of <paramref name="features"/> and hands it to <paramref name="user"/>.</summary>
    public static TResult With<TResult>(TrainConfig cfg, DataKind kind, int features, IModelUser<TResult> user)
    {
        var spec = Interop.TensorSpec.Float32;
        var likelihood = kind == DataKind.Images ? Losses.Likelihood.Bernoulli : Losses.Likelihood.SquaredError;
        switch (cfg.Model)
        {
            case "mlp":
            case "dnn":
                var hidden = ListModule.OfSeq(cfg.Model == "mlp" ? new[] { 500 } : [500, 150]);
                var dense = new DenseVae.Config(features, hidden, cfg.LatentDim, likelihood);
                return user.Use(DenseVae.model(dense), g => DenseVae.init(dense, spec, g));
            case "conv" when kind == DataKind.Images:
                var side = (int)Math.Round(Math.Sqrt(features));
                var d2 = ConvVae2d.defaultConfig;
                var c2 = new ConvVae2d.Config(side, d2.Filters1, d2.Filters2, d2.Hidden, cfg.LatentDim, likelihood);
                return user.Use(ConvVae2d.model(c2), g => ConvVae2d.init(c2, spec, g));
            case "conv":
                var d1 = ConvVae1d.defaultConfig;
                var c1 = new ConvVae1d.Config(features, d1.Filters1, d1.Filters2, d1.Kernel1, d1.Stride1, d1.Kernel2, d1.Stride2,
                    d1.Hidden, cfg.LatentDim, likelihood);
                return user.Use(ConvVae1d.model(c1), g => ConvVae1d.init(c1, spec, g));
            default:
                throw new ArgumentException($"unknown model '{cfg.Model}' (mlp, dnn or conv)");
        }
    }
}
