using TorchSharp;
using Vae.Runs.Data;
using Vae.Runs.Training;
using Vae.Model;

namespace Vae.Runs.Models;

/// <summary>Something done with a model whatever its parameter type (a training run, an evaluation).</summary>
public interface IModelUser<out TResult>
{
    /// <summary>Uses <paramref name="vae"/>, whose fresh parameters <paramref name="init"/> draws from a generator.</summary>
    TResult Use<TParams>(Vae<TParams> vae, Func<torch.Generator, TParams> init);
}

/// <summary>
/// The models of the study by name, sized for the data: mlp, dnn and conv for images and traces. The
/// architectures are the model layer's named configs; only the data's shape, the latent size and the
/// likelihood are set here.
/// </summary>
public static class ModelCatalog
{
    /// <summary>Builds the model of <paramref name="cfg"/> for data of <paramref name="features"/> and hands it to <paramref name="user"/>.</summary>
    public static TResult With<TResult>(TrainConfig cfg, DataKind kind, int features, IModelUser<TResult> user)
    {
        var spec = Interop.TensorSpec.Float32;
        var likelihood = kind == DataKind.Images ? Losses.Likelihood.Bernoulli : Losses.Likelihood.SquaredError;
        if (cfg.Model == ModelFamily.Mlp || cfg.Model == ModelFamily.Dnn)
        {
            var dense = DenseVae.withLikelihood(likelihood, DenseVae.withLatent(cfg.LatentDim,
                DenseVae.withInput(features, cfg.Model == ModelFamily.Mlp ? DenseVae.mlpDefault : DenseVae.dnnDefault)));
            return user.Use(DenseVae.model(dense), g => DenseVae.init(dense, spec, g));
        }
        if (cfg.Model != ModelFamily.Conv)
            throw new ArgumentException($"unknown model '{cfg.Model}' ({SettingNames.Choices<ModelFamily>()})");
        if (kind == DataKind.Images)
        {
            var side = (int)Math.Round(Math.Sqrt(features));
            var c2 = ConvVae2d.withLikelihood(likelihood, ConvVae2d.withLatent(cfg.LatentDim, ConvVae2d.withSide(side, ConvVae2d.defaultConfig)));
            return user.Use(ConvVae2d.model(c2), g => ConvVae2d.init(c2, spec, g));
        }
        var c1 = ConvVae1d.withLikelihood(likelihood, ConvVae1d.withLatent(cfg.LatentDim, ConvVae1d.withLength(features, ConvVae1d.defaultConfig)));
        return user.Use(ConvVae1d.model(c1), g => ConvVae1d.init(c1, spec, g));
    }
}
