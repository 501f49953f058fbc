using System.Diagnostics;
using Vae.Runs.Data;
using Vae.Runs.Persistence;

namespace Vae.Host.Tests.BadInput;

/// <summary>
/// Run folders: a folder another live process holds is refused by every command that would write into it (one line
/// naming the folder and the holder, exit 2, the folder unchanged); a dead process's lock is taken over; tiny
/// datasets train, analyze and report; a run that diverges in its first epoch leaves nothing.
/// </summary>
public class RunFolderCases
{
    private static readonly string Holder = $"in use by {Environment.MachineName} pid {Environment.ProcessId}";

    // One finished 10-trace run, trained once and copied into the sandboxes that need a run.
    private static readonly Lazy<string> Template = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("fvae-runfolder-template-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        Simulate(dir, 10);
        var (code, _, err) = CliRunner.Run(Train(dir, "run", 10));
        Assert.True(code == 0, err);
        return dir;
    });

    private static void Simulate(string dir, int n)
    {
        var (code, _, err) = CliRunner.Run("simulate", "--n", n.ToString(), "--out", Path.Combine(dir, $"d{n}.h5"), "--threads", "1");
        Assert.True(code == 0, err);
    }

    // Tiny, fast training: n traces of the sandbox's d<n>.h5, one epoch, small batches, one thread; options in
    // `extra` replace these.
    private static string[] Train(string dir, string run, int n, params string[] extra)
    {
        string[] defaults = ["--batch-size", n < 10 ? "1" : "4", "--epochs", "1", "--threads", "1", "--latent-dim", "2"];
        return Enumerable.Range(0, defaults.Length / 2).Where(i => !extra.Contains(defaults[2 * i]))
            .SelectMany(i => new[] { defaults[2 * i], defaults[2 * i + 1] })
            .Concat(["--hh-data", Path.Combine(dir, $"d{n}.h5"), "--data-dir", Path.Combine(dir, "data"), "--out", Path.Combine(dir, run), .. extra])
            .ToArray();
    }

    private static string[] Read(Sandbox box, string command, params string[] extra) =>
        [command, box.At("run"), "--threads", "1", "--data-dir", box.At("data"), .. extra];

    private static void CopyRun(Sandbox box)
    {
        var from = Path.Combine(Template.Value, "run");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var to = box.At(Path.Combine("run", Path.GetRelativePath(from, file)));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }

    // The run folder's lock as a live process holds it: this test process, which outlives the command.
    private static void Hold(Sandbox box, int? pid = null) =>
        box.Write(Path.Combine("run", ".lock"),
            FileLock.Text(new LockHolder(Environment.MachineName, pid ?? Environment.ProcessId, DateTime.UtcNow, "other")));

    private static int DeadPid()
    {
        using var dead = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        dead.WaitForExit();
        return dead.Id;
    }

    private static void HeldRun(Sandbox box)
    {
        CopyRun(box);
        Hold(box);
    }

    // A finished run with figures, report and analysis, and no lock or temporary file left.
    private static void FinishedRun(Sandbox box, IReadOnlyDictionary<string, string> before)
    {
        var run = RunFolder.At(box.At("run"));
        foreach (var file in new[] { run.ConfigPath, run.MetricsPath, run.FinalModel, run.ReportPath, run.AnalysisPath, run.AnalysisMarkdownPath,
            run.LastCheckpoint })
            Assert.True(File.Exists(file), file);
        foreach (var png in new[] { "loss", "reconstructions", "samples", "latent", "recovery", "traversals" })
            Assert.True(File.Exists(Path.Combine(run.FigureDir, png + ".png")), png);
        Assert.False(File.Exists(run.LockPath));
        Assert.Empty(Directory.GetFiles(box.Dir, "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>The cases.</summary>
    public static TheoryData<BadInputCase> Cases() => new()
    {
        new("--force into a run folder another process trains", b => Train(b.Dir, "run", 10, "--force"), 2, Holder)
            { Setup = b => { Simulate(b.Dir, 10); HeldRun(b); } },
        new("a new run into an empty folder another process is starting", b => Train(b.Dir, "run", 10), 2, Holder)
            { Setup = b => { Simulate(b.Dir, 10); Hold(b); } },
        new("--resume of a run another process trains", b => ["--resume", b.At("run"), "--threads", "1", "--data-dir", b.At("data")], 2, Holder)
            { Setup = HeldRun },
        new("evaluate of a run another process trains", b => Read(b, "evaluate"), 2, Holder) { Setup = HeldRun },
        new("analyze of a run another process trains", b => Read(b, "analyze"), 2, Holder) { Setup = HeldRun },
        new("generate into a run another process trains", b => Read(b, "generate", "--n", "2"), 2, Holder) { Setup = HeldRun },
        new("encode into a run another process trains", b => Read(b, "encode"), 2, Holder) { Setup = HeldRun },
        new("generate elsewhere only reads a held run", b => Read(b, "generate", "--n", "2", "--out", b.At("samples.h5")), 0, "")
        {
            Setup = HeldRun,
            Leaves = (b, before) =>
            {
                Assert.True(File.Exists(b.At("samples.h5")));
                var after = b.Snapshot();
                Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
            },
        },
        new("evaluate takes over the lock of a dead process", b => Read(b, "evaluate"), 0, "")
        {
            Setup = b => { CopyRun(b); Hold(b, DeadPid()); },
            Leaves = (b, _) =>
            {
                Assert.True(File.Exists(RunFolder.At(b.At("run")).EvaluationPath));
                Assert.False(File.Exists(RunFolder.At(b.At("run")).LockPath));
            },
        },
        new("--force takes over the lock of a dead process", b => Train(b.Dir, "run", 10, "--force"), 0, "")
            { Setup = b => { Simulate(b.Dir, 10); CopyRun(b); Hold(b, DeadPid()); }, Leaves = FinishedRun },
        new("10 traces train, analyze and report", b => Train(b.Dir, "run", 10), 0, "")
            { Setup = b => Simulate(b.Dir, 10), Leaves = FinishedRun },
        new("3 traces train, analyze and report", b => Train(b.Dir, "run", 3), 0, "")
            { Setup = b => Simulate(b.Dir, 3), Leaves = FinishedRun },
        new("--resume finishes a paused 10-trace run", b => ["--resume", b.At("run"), "--threads", "1", "--data-dir", b.At("data")], 0, "")
        {
            Setup = b =>
            {
                Simulate(b.Dir, 10);
                var (code, _, err) = CliRunner.Run(Train(b.Dir, "run", 10, "--epochs", "2", "--stop-after", "1"));
                Assert.True(code == 0, err);
            },
            Leaves = (b, before) =>
            {
                FinishedRun(b, before);
                Assert.Equal(2, MetricsTable.Parse(File.ReadAllText(RunFolder.At(b.At("run")).MetricsPath)).Epochs.Count);
            },
        },
        new("a run that diverges in its first epoch leaves nothing", b => Train(b.Dir, "run", 10, "--lr", "10"), 1, "nothing of it is kept")
            { Setup = b => Simulate(b.Dir, 10) },
    };

    /// <summary>Each case exits with its code and one error line, and leaves what it promises.</summary>
    [Theory, MemberData(nameof(Cases))]
    public void Fails_cleanly(BadInputCase c) => BadInputRunner.Check(c);
}
