using Vae.Simulation.Storage;
using Vae.Runs.Settings;

namespace Vae.Runs.Persistence;

/// <summary>
/// The folder of one training run and the one owner of its file names: <c>config.json</c>, <c>metrics.csv</c>,
/// <c>checkpoints/</c>, <c>model.safetensors</c>, <c>figures/</c>, <c>report.html</c>, <c>evaluation.json</c>,
/// <c>analysis.json</c>, <c>analysis.md</c> and <c>tensorboard/</c>, and the lock of the process writing it (<c>.lock</c>).
/// Every file in it is written atomically.
/// </summary>
public sealed class RunFolder
{
    /// <summary>The run folder's full path.</summary>
    public string Root { get; }

    private RunFolder(string root) => Root = root;

    /// <summary>Path of the run's configuration.</summary>
    public string ConfigPath => Path.Combine(Root, "config.json");
    /// <summary>Path of the per-epoch metrics table.</summary>
    public string MetricsPath => Path.Combine(Root, "metrics.csv");
    /// <summary>Folder of the per-epoch checkpoints.</summary>
    public string CheckpointDir => Path.Combine(Root, "checkpoints");
    /// <summary>
    /// The latest checkpoint: parameters, optimizer state and step. It holds no generator state because none is
    /// needed: every random draw of a run derives from its seed and the step or epoch (<see cref="Seeds"/>).
    /// </summary>
    public string LastCheckpoint => Path.Combine(CheckpointDir, "last.safetensors");
    /// <summary>The trained model at the end of the run.</summary>
    public string FinalModel => Path.Combine(Root, "model.safetensors");
    /// <summary>Folder of the PNG figures.</summary>
    public string FigureDir => Path.Combine(Root, "figures");
    /// <summary>Folder of the TensorBoard event files written during training (one per training process).</summary>
    public string TensorBoardDir => Path.Combine(Root, "tensorboard");
    /// <summary>The self-contained interactive report.</summary>
    public string ReportPath => Path.Combine(Root, "report.html");
    /// <summary>Test metrics written by <c>evaluate</c>.</summary>
    public string EvaluationPath => Path.Combine(Root, "evaluation.json");
    /// <summary>What the latent space learned, every number, written by <c>analyze</c> and at the end of training.</summary>
    public string AnalysisPath => Path.Combine(Root, "analysis.json");
    /// <summary>The same analysis as Markdown tables.</summary>
    public string AnalysisMarkdownPath => Path.Combine(Root, "analysis.md");

    /// <summary>The lock file of the process writing into the run (<see cref="RunFolderLock"/>); not part of the run.</summary>
    public string LockPath => Path.Combine(Root, LockFileName);

    private const string LockFileName = ".lock";

    /// <summary>The layout of a folder that may or may not hold a run yet (nothing is checked or created).</summary>
    public static RunFolder At(string path) => new(Path.GetFullPath(path));

    /// <summary>
    /// Creates a new run folder. An existing non-empty folder is refused unless <paramref name="force"/>, in
    /// which case its run files are replaced (other files the user put there are left alone).
    /// </summary>
    public static RunFolder Create(string path, bool force)
    {
        var root = CheckAvailable(path, force);
        if (HoldsAnything(root))
            new RunFolder(root).RemoveRun();
        try
        {
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UserInputException($"cannot write the run folder {path}: {e.Message}");
        }
        var run = new RunFolder(root);
        Directory.CreateDirectory(run.CheckpointDir);
        Directory.CreateDirectory(run.FigureDir);
        return run;
    }

    /// <summary>
    /// Fails, before any expensive work, if <paramref name="path"/> cannot take a new run: it is a file, or a
    /// non-empty folder and <paramref name="force"/> is not set. Returns the full path.
    /// </summary>
    public static string CheckAvailable(string path, bool force)
    {
        var root = Path.GetFullPath(path);
        if (File.Exists(root))
            throw new UserInputException($"the run folder {path} is a file", new Remedy.OtherRunFolder());
        if (!force && HoldsAnything(root))
            throw new UserInputException($"run folder {path} already exists and is not empty",
                new Remedy.ReplaceRun(path), new Remedy.ResumeRun(path), new Remedy.OtherRunFolder());
        return root;
    }

    // Whether a folder holds anything besides a run folder's lock (the lock of the process about to write it, or a dead one's).
    private static bool HoldsAnything(string root) =>
        Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any(e => Path.GetFileName(e) != LockFileName);

    /// <summary>Opens an existing run to resume or read it; it must have a config.</summary>
    public static RunFolder Open(string path)
    {
        var run = new RunFolder(Path.GetFullPath(path));
        if (!File.Exists(run.ConfigPath))
            throw new UserInputException($"{path} is not a run folder (no config.json)", new Remedy.Act("give the folder of a training run"));
        return run;
    }

    /// <summary>Removes the run's own files and folders; other files the user put there are left alone.</summary>
    public void RemoveRun()
    {
        foreach (var f in new[] { ConfigPath, MetricsPath, FinalModel, ReportPath, EvaluationPath, AnalysisPath, AnalysisMarkdownPath })
            File.Delete(f);
        foreach (var d in new[] { CheckpointDir, FigureDir, TensorBoardDir })
            if (Directory.Exists(d))
                Directory.Delete(d, true);
    }

    /// <summary>Writes a text file of the run atomically.</summary>
    public void WriteText(string path, string text) => AtomicFile.WriteAllText(path, text, createFolder: true);
}
