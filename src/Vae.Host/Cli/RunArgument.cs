using System.CommandLine;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Model;
using Vae.Simulation.Storage;

namespace Vae.Host.Cli;

/// <summary>The run-folder argument and data options of the commands that read a finished run.</summary>
public sealed class RunArgument
{
    private readonly Argument<string> _run = new("run") { Description = "Run folder written by training (--out)." };
    private readonly Option<string?> _dataDir = HostOptions.DataDir();
    private readonly Option<string?> _mnistDir = HostOptions.MnistDir();
    private readonly Option<int?> _threads = HostOptions.Threads();

    /// <summary>Adds the argument and options to <paramref name="cmd"/>.</summary>
    public void AddTo(Command cmd)
    {
        cmd.Arguments.Add(_run);
        foreach (var o in new Option[] { _dataDir, _mnistDir, _threads })
            cmd.Options.Add(o);
    }

    /// <summary>The run folder, its config, and libtorch initialized with the requested threads.</summary>
    public (RunFolder Folder, TrainConfig Config, int Threads) Open(ParseResult parse)
    {
        var folder = RunFolder.Open(parse.GetValue(_run)!);
        var cfg = RunManifest.Read(folder);
        return (folder, cfg, NativeSetup.configure(HostOptions.ThreadsValue(parse, _threads)));
    }

    /// <summary>
    /// The run's data as training loaded it (its content checked against the run's record), or, with
    /// <paramref name="otherHh"/>, that HH dataset as the run's model input (the run's scaling map applied).
    /// </summary>
    public TrainingData Data(ParseResult parse, RunFolder folder, TrainConfig cfg, int threads, Action<string> log, string? otherHh = null) =>
        TrainingData.Load(otherHh is null ? cfg : cfg with { HhData = Path.GetFullPath(otherHh) }, DataDirs.Resolve(parse.GetValue(_dataDir)),
            parse.GetValue(_mnistDir), threads, log, recorded: Recorded(parse, folder, cfg, threads, log, otherHh is not null));

    /// <summary>
    /// The run's record of its data, for its own dataset or (<paramref name="otherData"/>) another one: then no
    /// content to match, and a dataset-scaled run written before the map was recorded refits it on its own data.
    /// </summary>
    public RecordedData Recorded(ParseResult parse, RunFolder folder, TrainConfig cfg, int threads, Action<string> log, bool otherData)
    {
        var recorded = RunManifest.ReadData(folder);
        if (!otherData)
            return recorded;
        if (cfg.Scaling == ScalingMode.Dataset && recorded.Scaling is null)
        {
            var own = HhModelInput.For(cfg, HhFile.Read(HhPath(parse, cfg, threads, log)), recorded);
            recorded = recorded with { Scaling = own.Map };
        }
        return recorded.ForOtherData();
    }

    /// <summary>The HH dataset file of an HH run (from the cache, generated again if it was removed).</summary>
    public string HhPath(ParseResult parse, TrainConfig cfg, int threads, Action<string> log) =>
        cfg.HhData ?? HhCache.Ensure(DataDirs.Resolve(parse.GetValue(_dataDir)), cfg.HhProtocol.Text, cfg.HhSeed, cfg.HhCount, threads, log);

    /// <summary>The run's trained model, for examples of <paramref name="features"/>.</summary>
    public static ITrainedModel Model(TrainConfig cfg, RunFolder folder, DataKind kind, int features) =>
        TrainedModelLoader.Load(folder, ModelCatalog.Build(cfg, kind, features));
}
