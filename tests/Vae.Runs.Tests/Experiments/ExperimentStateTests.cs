using Vae.Runs;
using System.Text.Json.Nodes;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Runs.Experiments;
using Vae.Runs.Settings;

namespace Vae.Runs.Tests.Experiments;

public sealed class ExperimentStateTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-state-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    [Fact]
    public void A_run_written_with_the_retired_threads_setting_is_still_the_same_config()
    {
        var cfg = TrainConfig.Defaults(Dataset.Hh) with { Epochs = 3 };
        var run = RunFolder.Create(Path.Combine(_tmp, "run"), force: false);
        RunManifest.Write(run, cfg, "hh test", Vae.Runs.Data.RecordedData.None, threads: 2);
        // Configs written before the setting was retired carry "threads": null inside "config".
        var node = JsonNode.Parse(File.ReadAllText(run.ConfigPath))!;
        node["config"]!["threads"] = null;
        File.WriteAllText(run.ConfigPath, node.ToJsonString());

        Assert.Equal(EntryState.Partial, ExperimentState.Of(run.Root, cfg));
        Assert.Throws<Vae.Runs.UserInputException>(() => ExperimentState.Of(run.Root, cfg with { Epochs = 4 }));
    }
}
