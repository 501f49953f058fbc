using System.CommandLine;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Model;
using Vae.Runs.Settings;

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
    public TrainingData Data(ParseResult parse, RunFolder folder, TrainConfig cfg, int threads, Action<string> log, string? otherHh = null)
    {
        var (dataRoot, recorded) = (DataDirs.Resolve(parse.GetValue(_dataDir)), RunManifest.ReadData(folder));
        return otherHh is null
            ? TrainingData.Load(cfg, dataRoot, parse.GetValue(_mnistDir), threads, log, recorded: recorded)
            : TrainingData.LoadOther(cfg, otherHh, dataRoot, threads, log, recorded);
    }

    /// <summary>The run's trained model, for examples of <paramref name="features"/>.</summary>
    public static ITrainedModel Model(TrainConfig cfg, RunFolder folder, DataKind kind, int features) =>
        TrainedModelLoader.Load(folder, ModelCatalog.Build(cfg, kind, features));
}
