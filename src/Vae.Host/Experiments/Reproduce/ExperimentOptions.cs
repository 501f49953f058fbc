using System.CommandLine;
using Vae.Host.Cli;
using Vae.Model;
using Vae.Runs;
using Vae.Runs.Data;
using Vae.Runs.Settings;
using Vae.Runs.Training;
using Vae.Runs.Experiments;

namespace Vae.Host.Experiments.Reproduce;

/// <summary>
/// The options every form of <c>reproduce</c> takes: which experiment (folder, selection, epochs, HH data) and the
/// threads and data folders of this process. One instance per command, so each command owns its options.
/// </summary>
public sealed class ExperimentOptions
{
    private readonly Option<string?> _out = new("--out") { Description = "Experiment folder (default: experiments/paper-<protocol>)." };
    private readonly Option<string?> _only = new("--only")
    {
        Description = $"Comma-separated sweeps ({string.Join(", ", PaperSweeps.Names)}) or config names.",
    };
    private readonly Option<int?> _epochs = NumericOption.Optional("--epochs", SettingRanges.Epochs,
        "Epochs of every config instead of the original's 100 (a quick version of everything).");
    private readonly Option<HhDataProtocol?> _protocol = NamedOption.Create("--protocol", "HH data: "
        + $"{HhDataProtocol.Report} (10,000 traces of the report's protocol) or {HhDataProtocol.SeedCode} (the original's conductance draws and "
        + "split, as its code simulated).", HhDataProtocol.Report);
    private readonly Option<string> _seedParams = new("--seed-params")
    {
        Description = "The original's conductance draws, for --protocol seed-code (default: the copy shipped with the host).",
        DefaultValueFactory = _ => SeedParameters.DefaultPath,
    };
    private readonly Option<int> _hhCount = NumericOption.WithDefault("--hh-count", SettingRanges.TrainingTraces, 10_000,
        "Traces of the report-protocol HH dataset.");
    private readonly Option<int?> _threads = HostOptions.Threads();
    private readonly Option<string?> _dataDir = HostOptions.DataDir();
    private readonly Option<string?> _mnistDir = HostOptions.MnistDir();

    /// <summary>Adds these options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _out, _only, _epochs, _protocol, _seedParams, _hhCount, _threads, _dataDir, _mnistDir })
            command.Options.Add(o);
    }

    /// <summary>
    /// The experiment as <paramref name="parse"/> names it: libtorch set up with --threads threads (each worker's
    /// with <paramref name="workers"/>), the selection checked before any data is made, then the HH data made or
    /// found in the cache. <paramref name="log"/> receives what happens meanwhile.
    /// </summary>
    public Experiment Open(ParseResult parse, int? workers, Action<string> log, CancellationToken cancel)
    {
        var proto = parse.GetValue(_protocol)!;
        var folder = new ExperimentFolder(parse.GetValue(_out) ?? Path.Combine("experiments", $"paper-{proto}"));
        var dataRoot = DataDirs.Resolve(parse.GetValue(_dataDir));
        var threadsOption = parse.GetValue(_threads);
        // With workers, --threads is each worker's; this process measures step times as a worker would run.
        var n = NativeSetup.configure(HostOptions.ThreadsValue(workers is int w ? SideBySide.ThreadsEach(w, threadsOption) : threadsOption));
        if (workers is int w2)
            SideBySide.WarnIfOversubscribed(w2, n, parse.InvocationConfiguration.Error);
        var seedCsv = Path.GetFullPath(parse.GetValue(_seedParams)!);
        var epochs = parse.GetValue(_epochs);
        var only = parse.GetValue(_only);
        // --only is checked before the data is made, so a misspelt name leaves nothing in the cache.
        Select(PaperSweeps.All("", epochs), only);
        var hhData = proto == HhDataProtocol.SeedCode
            ? HhCache.EnsureFromParameters(dataRoot, proto.Text, seedCsv, n * (workers ?? 1), log, cancel)
            : HhCache.Ensure(dataRoot, proto.Text, 0, parse.GetValue(_hhCount), n * (workers ?? 1), log, cancel);
        var all = PaperSweeps.All(hhData, epochs);
        return new Experiment(folder, proto, dataRoot, seedCsv, parse.GetValue(_hhCount), epochs, parse.GetValue(_mnistDir), only,
            threadsOption, n, hhData, all, Select(all, only));
    }

    /// <summary>The entries named by <paramref name="only"/> (sweeps or config names), or all.</summary>
    public static List<SweepEntry> Select(IReadOnlyList<SweepEntry> all, string? only)
    {
        if (only is null)
            return [.. all];
        var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (wanted.Length == 0)
            throw new UserInputException($"--only names no sweep or config; give some of {string.Join(", ", PaperSweeps.Names)} or config names, "
                + "or leave it out to run all.");
        var unknown = wanted.Where(w => !all.Any(e => e.Sweep == w || e.Name == w)).ToList();
        if (unknown.Count > 0)
            throw new UserInputException($"--only: no sweep or config named {string.Join(", ", unknown)}; "
                + $"sweeps are {string.Join(", ", PaperSweeps.Names)}, configs look like {all[0].Name}.");
        return all.Where(e => wanted.Contains(e.Sweep) || wanted.Contains(e.Name)).ToList();
    }
}
