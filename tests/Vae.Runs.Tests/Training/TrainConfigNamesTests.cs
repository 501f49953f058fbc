using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Runs.Settings;

namespace Vae.Runs.Tests.Training;

/// <summary>The config's typed names: their texts, config.json as written before they were typed, and validation (each name
/// through the command line: Vae.Host.Tests' SettingNameOptionTests).</summary>
public sealed class TrainConfigNamesTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-cfg-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    // config.json's "config" object exactly as the string-named config wrote it (TrainConfig.Paper("mnist") with
    // these names changed), so every typed name is read from and written to an old file.
    private const string OldConfig = """
        {
          "dataset": "mnist",
          "model": "mlp",
          "latentDim": 20,
          "beta": 1,
          "epochs": 100,
          "batchSize": 64,
          "learningRate": 0.001,
          "finalLrFraction": 0.01,
          "scheduleExponent": 1,
          "weightDecay": 0.0001,
          "gradClip": 1,
          "seed": 0,
          "shuffle": "Fixed",
          "digits": [
            0,
            1,
            2,
            3
          ],
          "threshold": 128,
          "hhData": null,
          "hhProtocol": "seed-code",
          "hhCount": 10000,
          "hhSeed": 0,
          "scaling": "dataset",
          "preset": "paper"
        }
        """;

    private static readonly TrainConfig OldExpected = TrainConfig.Paper(Dataset.Mnist) with
    {
        Model = ModelFamily.Mlp,
        HhProtocol = HhDataProtocol.SeedCode,
        Scaling = ScalingMode.Dataset,
    };

    [Fact]
    public void A_config_written_before_the_names_were_typed_loads_unchanged_and_writes_back_byte_identical()
    {
        var cfg = TrainConfig.FromJson(OldConfig);
        Assert.Equal(OldExpected.ToJson(), cfg.ToJson());
        Assert.Equal((Dataset.Mnist, ModelFamily.Mlp, HhDataProtocol.SeedCode, ScalingMode.Dataset),
            (cfg.Dataset, cfg.Model, cfg.HhProtocol, cfg.Scaling));
        Assert.Equal(OldConfig, cfg.ToJson().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_run_folders_old_config_json_reads_through_the_manifest()
    {
        var folder = RunFolder.At(_tmp);
        var indented = string.Join("\n", OldConfig.Split('\n').Select(l => "  " + l)).TrimStart();
        File.WriteAllText(folder.ConfigPath, $"{{\n  \"config\": {indented},\n  \"dataset\": \"mnist digits 0,1,2,3\",\n  \"threads\": 2\n}}");
        Assert.Equal(OldConfig, RunManifest.Read(folder).ToJson().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_names_are_the_ones_config_json_and_the_command_line_have_always_used()
    {
        Assert.Equal(["hh", "mnist"], SettingNames.Texts<Dataset>());
        Assert.Equal(["mlp", "dnn", "conv", "resconv"], SettingNames.Texts<ModelFamily>());
        Assert.Equal(["report", "seed-code"], SettingNames.Texts<HhDataProtocol>());
        Assert.Equal(["trace", "dataset"], SettingNames.Texts<ScalingMode>());
    }

    [Fact]
    public void The_residual_trace_model_round_trips_through_config_json_and_is_refused_for_images()
    {
        var cfg = TrainConfig.Defaults(Dataset.Hh) with { Model = ModelFamily.ResConv };
        Assert.Contains("\"model\": \"resconv\"", cfg.ToJson());
        var back = TrainConfig.FromJson(cfg.ToJson());
        Assert.Same(ModelFamily.ResConv, back.Model);
        Assert.Equal(cfg.ToJson(), back.ToJson());
        Assert.Null(back.FirstProblem());
        var images = TrainConfig.Defaults(Dataset.Mnist) with { Model = ModelFamily.ResConv };
        Assert.Equal("\"model\" is \"resconv\", allowed one of mlp, dnn, conv for mnist data", images.FirstProblem()?.ToString());
        Assert.Equal(["mlp", "dnn", "conv"], ModelFamily.Study.Select(m => m.Text));
    }

    [Theory]
    [InlineData("{\"model\": \"transformer\"}", "\"model\" is \"transformer\", allowed mlp, dnn, conv, resconv")]
    [InlineData("{\"scaling\": 3}", "\"scaling\" is not a name (Number), allowed trace, dataset")]
    [InlineData("{\"dataset\": null}", "\"dataset\" is missing, allowed hh, mnist")]
    [InlineData("{\"latentDim\": 0}", "\"latentDim\" is 0, allowed 1..4096")]
    public void A_bad_setting_is_named_by_the_configs_own_validation(string json, string expected)
    {
        var e = Assert.Throws<InvalidSettingException>(() => TrainConfig.FromJson(json).Validate());
        Assert.Equal(expected, e.Message);
    }
}
