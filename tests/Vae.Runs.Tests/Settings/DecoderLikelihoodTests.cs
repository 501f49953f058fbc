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
        Assert.Equal("\"likelihood\" is \"bernoulli\", allowed squared-error for hh data", problem?.ToString());
        Assert.Null((TrainConfig.Defaults(Dataset.Mnist) with { Likelihood = DecoderLikelihood.SquaredError }).FirstProblem());
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
}
