using Vae.Host.Cli;
using Vae.Runs.Settings;

namespace Vae.Host.Tests.Cli;

/// <summary>Each of the config's typed names through its text, config.json and its command-line option.</summary>
public sealed class SettingNameOptionTests
{
    public static TheoryData<string, string, string> Names()
    {
        var data = new TheoryData<string, string, string>();
        void Add<T>(string option) where T : SettingName, ISettingNames<T>
        {
            foreach (var v in T.All)
                data.Add(T.Setting, option, v.Text);
        }
        Add<Dataset>("--dataset");
        Add<ModelFamily>("--model");
        Add<HhDataProtocol>("--hh-protocol");
        Add<ScalingMode>("--scaling");
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_name_round_trips_through_its_text_config_json_and_the_command_line(string setting, string option, string text)
    {
        var value = setting switch
        {
            "dataset" => (SettingName)SettingNames.Parse<Dataset>(text),
            "model" => SettingNames.Parse<ModelFamily>(text),
            "hhProtocol" => SettingNames.Parse<HhDataProtocol>(text),
            _ => SettingNames.Parse<ScalingMode>(text),
        };
        Assert.Equal(text, value.Text);
        Assert.Equal(text, $"{value}");
        var cfg = setting switch
        {
            "dataset" => new TrainConfig { Dataset = (Dataset)value },
            "model" => new TrainConfig { Model = (ModelFamily)value },
            "hhProtocol" => new TrainConfig { HhProtocol = (HhDataProtocol)value },
            _ => new TrainConfig { Scaling = (ScalingMode)value },
        };
        var json = cfg.ToJson();
        Assert.Contains($"\"{setting}\": \"{text}\"", json);
        Assert.Equal(json, TrainConfig.FromJson(json).ToJson());
        var parsed = HostCli.Build().Parse([option, text]);
        Assert.Empty(parsed.Errors);
        Assert.Same(value, parsed.GetValue<SettingName?>(option));
    }
}
