using System.CommandLine;
using Vae.Host.Data;
using Vae.Host.Models;
using Vae.Host.Persistence;
using Vae.Host.Training;
using Vae.Model;

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

    /// <summary>The run's data, as training loaded it.</summary>
    public TrainingData Data(ParseResult parse, TrainConfig cfg, int threads, Action<string> log) =>
        TrainingData.Load(cfg, DataDirs.Resolve(parse.GetValue(_dataDir)), parse.GetValue(_mnistDir), threads, log);

    /// <summary>The HH dataset file of an HH run (from the cache, generated again if it was removed).</summary>
    public string HhPath(ParseResult parse, TrainConfig cfg, int threads, Action<string> log) =>
        cfg.HhData ?? HhCache.Ensure(DataDirs.Resolve(parse.GetValue(_dataDir)), cfg.HhProtocol, cfg.HhSeed, cfg.HhCount, threads, log);

    /// <summary>The run's trained model, for examples of <paramref name="features"/>.</summary>
    public static ITrainedModel Model(TrainConfig cfg, RunFolder folder, DataKind kind, int features) =>
        ModelCatalog.With(cfg, kind, features, new TrainedModelLoader(folder));
}
