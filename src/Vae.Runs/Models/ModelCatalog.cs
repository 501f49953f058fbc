using Vae.Runs.Data;
using Vae.Model;
using Vae.Runs.Settings;

namespace Vae.Runs.Models;

/// <summary>
/// The models by name, sized for the data: the study's mlp, dnn and conv for images and traces, and resconv (the
/// residual trace VAE) for traces. The
/// architectures are the model layer's named configs; only the data's shape, the latent size and the
/// likelihood are set here.
/// </summary>
public static class ModelCatalog
{
    /// <summary>The model of <paramref name="cfg"/> for data of <paramref name="kind"/> with <paramref name="features"/> per example.</summary>
    public static VaeModel Build(TrainConfig cfg, DataKind kind, int features)
    {
        var likelihood = cfg.EffectiveLikelihood.Model;
        if (cfg.Model == ModelFamily.Mlp || cfg.Model == ModelFamily.Dnn)
        {
            var dense = DenseVae.withLikelihood(likelihood, DenseVae.withLatent(cfg.LatentDim,
                DenseVae.withInput(features, cfg.Model == ModelFamily.Mlp ? DenseVae.mlpDefault : DenseVae.dnnDefault)));
            return VaeModel.Dense(dense);
        }
        if (cfg.Model == ModelFamily.ResConv)
        {
            if (kind != DataKind.Traces)
                throw new InvalidSettingException(new SettingProblem(ModelFamily.Setting, SettingProblem.Quote(cfg.Model.Text),
                    $"one of {string.Join(", ", ModelFamily.All.Where(f => f.Fits(kind)))} for {kind.ToString().ToLowerInvariant()}"));
            return VaeModel.ResConv1d(ResConvVae1d.withLikelihood(likelihood, ResConvVae1d.withLatent(cfg.LatentDim,
                ResConvVae1d.withLength(features, ResConvVae1d.defaultConfig))));
        }
        if (cfg.Model != ModelFamily.Conv)
            throw new ArgumentException($"unknown model '{cfg.Model}' ({SettingNames.Choices<ModelFamily>()})");
        if (kind == DataKind.Images)
        {
            var side = (int)Math.Round(Math.Sqrt(features));
            return VaeModel.Conv2d(ConvVae2d.withLikelihood(likelihood, ConvVae2d.withLatent(cfg.LatentDim,
                ConvVae2d.withSide(side, ConvVae2d.defaultConfig))));
        }
        return VaeModel.Conv1d(ConvVae1d.withLikelihood(likelihood, ConvVae1d.withLatent(cfg.LatentDim,
            ConvVae1d.withLength(features, ConvVae1d.defaultConfig))));
    }
}
