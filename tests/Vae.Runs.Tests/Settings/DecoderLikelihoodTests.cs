using System.Text.Json;
using Vae.Model;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Runs.Settings;

namespace Vae.Runs.Tests.Settings;

/// <summary>The decoder likelihood as a setting: its default per dataset, config.json, validation and the model built.</summary>
public sealed class DecoderLikelihoodTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-lik-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    [Fact]
    public void Unset_it_follows_the_dataset()
    {
        Assert.Null(TrainConfig.Defaults(Dataset.Hh).Likelihood);
        Assert.Same(DecoderLikelihood.SquaredError, TrainConfig.Defaults(Dataset.Hh).EffectiveLikelihood);
        Assert.Same(DecoderLikelihood.Bernoulli, TrainConfig.Paper(Dataset.Mnist).EffectiveLikelihood);
    }

    [Fact]
    public void Config_json_names_it_when_set_and_leaves_it_out_when_not()
    {
        var run = RunFolder.Create(Path.Combine(_tmp, "run"), force: false);
        var unset = TrainConfig.Defaults(Dataset.Mnist);
        RunManifest.Write(run, unset, "mnist", RecordedData.None, 1);
        Assert.DoesNotContain("likelihood", File.ReadAllText(run.ConfigPath));
        Assert.Null(RunManifest.Read(run).Likelihood);

        var set = unset with { Likelihood = DecoderLikelihood.SquaredError };
        RunManifest.Write(run, set, "mnist", RecordedData.None, 1);
        using var json = JsonDocument.Parse(File.ReadAllText(run.ConfigPath));
        Assert.Equal("squared-error", json.RootElement.GetProperty("config").GetProperty("likelihood").GetString());
        Assert.Same(DecoderLikelihood.SquaredError, RunManifest.Read(run).Likelihood);
    }

    [Fact]
    public void Bernoulli_is_refused_for_traces_and_squared_error_allowed_for_images()
    {
        var problem = (TrainConfig.Defaults(Dataset.Hh) with { Likelihood = DecoderLikelihood.Bernoulli }).FirstProblem();
        Assert.Equal("\"likelihood\" is \"bernoulli\", allowed one of squared-error, squared-error+derivative, gaussian, "
            + "gaussian-heteroscedastic, laplace for hh data", problem?.ToString());
        Assert.Null((TrainConfig.Defaults(Dataset.Mnist) with { Likelihood = DecoderLikelihood.SquaredError }).FirstProblem());
        foreach (var l in DecoderLikelihood.All.Where(l => l != DecoderLikelihood.Bernoulli))
        {
            Assert.Null((TrainConfig.Defaults(Dataset.Hh) with { Likelihood = l }).FirstProblem());
            Assert.Null((TrainConfig.Defaults(Dataset.Mnist) with { Likelihood = l }).FirstProblem());
        }
    }

    [Fact]
    public void Every_likelihood_round_trips_through_config_json_by_its_name()
    {
        var run = RunFolder.Create(Path.Combine(_tmp, "run"), force: false);
        foreach (var l in DecoderLikelihood.All)
        {
            RunManifest.Write(run, TrainConfig.Defaults(Dataset.Mnist) with { Likelihood = l }, "mnist", RecordedData.None, 1);
            using var json = JsonDocument.Parse(File.ReadAllText(run.ConfigPath));
            Assert.Equal(l.Text, json.RootElement.GetProperty("config").GetProperty("likelihood").GetString());
            Assert.Same(l, RunManifest.Read(run).Likelihood);
        }
        Assert.Equal(["bernoulli", "squared-error", "squared-error+derivative", "gaussian", "gaussian-heteroscedastic", "laplace"],
            DecoderLikelihood.All.Select(l => l.Text));
    }

    [Fact]
    public void The_proper_likelihoods_are_the_ones_with_an_importance_weighted_bound()
    {
        Assert.Equal(["bernoulli", "gaussian", "gaussian-heteroscedastic", "laplace"],
            DecoderLikelihood.All.Where(l => l.IsProper).Select(l => l.Text));
        Assert.Equal(Losses.Likelihood.NewSquaredErrorDerivative(DecoderLikelihood.DerivativeWeight), DecoderLikelihood.SquaredErrorDerivative.Model);
        Assert.Equal(Losses.Likelihood.NewGaussian(Losses.NoiseScale.NewPerSample(DecoderLikelihood.HeteroscedasticFloor)),
            DecoderLikelihood.GaussianHeteroscedastic.Model);
    }

    [Theory]
    [InlineData("mlp", "gaussian"), InlineData("conv", "gaussian-heteroscedastic"), InlineData("conv", "laplace")]
    [InlineData("resconv", "gaussian"), InlineData("resconv", "gaussian-heteroscedastic"), InlineData("resconv", "laplace")]
    public void A_trace_model_with_a_noise_scale_decodes_means_then_log_scales(string family, string likelihood)
    {
        TestTorch.Ensure();
        var lik = SettingNames.Parse<DecoderLikelihood>(likelihood);
        var cfg = TrainConfig.Defaults(Dataset.Hh) with { Model = SettingNames.Parse<ModelFamily>(family), Likelihood = lik };
        var model = ModelCatalog.Build(cfg, DataKind.Traces, 5000);
        Assert.Equal(lik.Model, model.Likelihood);
        using var gen = new TorchSharp.torch.Generator(1);
        var trained = new TrainedModel(model.Init(gen));
        using var codes = TorchSharp.torch.zeros(2, model.LatentDim);
        using var means = trained.Decode(codes);
        Assert.Equal([2L, 5000L], means.shape);
        Assert.True(trained.HasLikelihood);
    }

    [Theory]
    [InlineData("mlp"), InlineData("conv")]
    public void The_model_is_built_with_the_effective_likelihood(string family)
    {
        TestTorch.Ensure();
        var cfg = TrainConfig.Defaults(Dataset.Mnist) with { Model = SettingNames.Parse<ModelFamily>(family) };
        Assert.True(ModelCatalog.Build(cfg, DataKind.Images, 784).Likelihood.IsBernoulli);
        var squared = ModelCatalog.Build(cfg with { Likelihood = DecoderLikelihood.SquaredError }, DataKind.Images, 784);
        Assert.Equal(Losses.Likelihood.SquaredError, squared.Likelihood);
    }

    [Fact]
    public void Resconv_builds_the_residual_trace_model_for_traces_and_refuses_images()
    {
        TestTorch.Ensure();
        var cfg = TrainConfig.Defaults(Dataset.Hh) with { Model = ModelFamily.ResConv };
        var model = ModelCatalog.Build(cfg, DataKind.Traces, 4999);
        var expected = ResConvVae1d.withLatent(cfg.LatentDim, ResConvVae1d.withLength(4999, ResConvVae1d.defaultConfig));
        Assert.Equal(ResConvVae1d.convolutions(expected), model.Convolutions);
        var e = Assert.Throws<InvalidSettingException>(() => ModelCatalog.Build(cfg, DataKind.Images, 784));
        Assert.Equal("\"model\" is \"resconv\", allowed one of mlp, dnn, conv for images", e.Message);
    }
}
