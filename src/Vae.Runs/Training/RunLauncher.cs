using Microsoft.FSharp.Core;
using Vae.Runs.Data;
using Vae.Runs.Models;
using Vae.Runs.Persistence;
using Vae.Model;
using Vae.Runs.Settings;

namespace Vae.Runs.Training;

/// <summary>Where data comes from and how a launched run behaves, besides its config.</summary>
/// <param name="DataRoot">Dataset cache root.</param>
/// <param name="MnistDir">A folder with the MNIST IDX files, or null.</param>
/// <param name="Threads">libtorch threads; all cores when null.</param>
/// <param name="StopAfter">Pause after this many epochs, or null to finish.</param>
/// <param name="Force">Replace the run in an existing output folder.</param>
public sealed record LaunchOptions(string DataRoot, string? MnistDir, int? Threads, int? StopAfter, bool Force)
{
    /// <summary>Interrupts data generation and the training loop at their next safe point (Ctrl+C, SIGTERM).</summary>
    public CancellationToken Cancel { get; init; }
    /// <summary>Where the launcher says what it does (data, the run's settings, locks); nowhere by default.</summary>
    public Action<string> Log { get; init; } = _ => { };
    /// <summary>
    /// Runs the training with a progress sink of its choice (a terminal display, lines, nothing: the default);
    /// the training is the function it is given.
    /// </summary>
    public Func<Func<IProgressSink, RunResult>, RunResult> WithProgress { get; init; } = train => train(new SilentProgress());
    /// <summary>
    /// What follows a finished run while its data is still loaded, e.g. its analysis, figures and report
    /// (Vae.Reports' <c>RunRendering.Finish</c>); nothing by default.
    /// </summary>
    public Func<RunResult, TrainingData, RunResult> Finish { get; init; } = (result, _) => result;
}

/// <summary>
/// Starts or continues one training run: libtorch set-up, data, the run folder (created only once the data is
/// loaded and the run's settings are checked against it, so bad input leaves nothing behind), the manifest and
/// the training loop. The run folder's lock (<see cref="RunFolderLock"/>) is held throughout, so no other process
/// writes into the folder meanwhile. A new run that fails before finishing its first epoch is removed again: it
/// holds nothing to resume. The root command and experiment sweeps both launch runs through here.
/// </summary>
public static class RunLauncher
{
    /// <summary>
    /// Trains <paramref name="cfg"/> into a new folder at <paramref name="outPath"/>, or continues
    /// <paramref name="existing"/> from its last checkpoint when it is given. A config with a setting outside what
    /// is allowed throws <see cref="InvalidSettingException"/> before anything is touched.
    /// </summary>
    public static RunResult Launch(TrainConfig cfg, RunFolder? existing, string? outPath, LaunchOptions options)
    {
        cfg.Validate();
        if (existing is null && outPath is null)
            throw new ArgumentException("a new run needs an output folder", nameof(outPath));
        var log = options.Log;
        var root = existing?.Root ?? Path.GetFullPath(outPath!);
        // A folder that exists (resumed, replaced by --force, or empty) is locked before any work, so a second
        // process is refused at once; a new folder is locked as it is created.
        var held = Directory.Exists(root) ? RunFolderLock.Take(root, log) : null;
        RunFolder? created = null;
        var madeRoot = false;
        try
        {
            NativeSetup.initialize();
            NativeSetup.reuseLargeAllocations();
            var n = NativeSetup.configure(options.Threads is int t ? FSharpOption<int>.Some(t) : FSharpOption<int>.None);
            // A continued run trains on the data it started with, or not at all.
            using var data = TrainingData.Load(cfg, options.DataRoot, options.MnistDir, n, log, options.Cancel,
                existing is null ? RecordedData.None : RunManifest.ReadData(existing));
            // A new run folder appears only once the run has checked everything it can (TrainingRun.Use calls this).
            RunFolder OpenFolder()
            {
                if (existing is not null)
                    return existing;
                var fresh = !Directory.Exists(root);
                var folder = RunFolder.Create(outPath!, options.Force);
                held ??= RunFolderLock.Take(root, log);
                (created, madeRoot) = (folder, fresh);
                RunManifest.Write(folder, cfg, data.Identity, data.Recorded, n);
                return folder;
            }
            log($"training {cfg.Model} VAE on {data.Identity}, {data.Where}"
                + $": latent {cfg.LatentDim}, {cfg.EffectiveLikelihood} likelihood, beta {cfg.Beta}, {cfg.Epochs} epochs of batch {cfg.BatchSize}, "
                + $"{n} threads -> {root}");
            if (EpochMeasurementNoise.For(cfg, data) is { } noise)
                log($"measurement noise on the training traces: {noise}; test traces as stored");
            RunResult Train(IProgressSink progress) =>
                new TrainingRun(cfg, data, OpenFolder, existing is not null, progress, options.StopAfter, options.Cancel)
                    .Train(ModelCatalog.Build(cfg, data.Kind, data.Features));
            var result = options.WithProgress(Train);
            return result.Finished ? options.Finish(result, data) : result;
        }
        catch (Exception e) when (created is not null && e is not OperationCanceledException && !File.Exists(created.MetricsPath))
        {
            // No epoch finished: nothing to resume or keep. An interrupted run stays, as its message tells how to continue it.
            created.RemoveRun();
            held?.Dispose();
            held = null;
            if (madeRoot && !Directory.EnumerateFileSystemEntries(root).Any())
                Directory.Delete(root);
            throw;
        }
        finally
        {
            held?.Dispose();
        }
    }
}
