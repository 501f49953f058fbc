using Vae.Host.Cli;

namespace Vae.Host.Tests.BadInput;

/// <summary>
/// Data files and outputs: nothing a user made is overwritten, a run refuses data that changed under it, cache
/// files must hold what their name promises, and bad input leaves no cache file behind.
/// </summary>
public class DataFileCases
{
    private const int Bad = ExitCodes.BadInput;

    /// <summary>The cases.</summary>
    public static TheoryData<BadInputCase> Cases() => new(
        new BadInputCase("simulate over an existing dataset", b => ["simulate", "--n", "10", "--out", b.At("victim.h5")], Bad,
            "already exists; pass --force")
        { Setup = b => b.Write("victim.h5", "a dataset the user keeps") },
        new BadInputCase("simulate over a run's config.json", b => ["simulate", "--n", "10", "--out", b.At("run/config.json")], Bad, "already exists")
        { Setup = b => b.Write("run/config.json", "{}") },
        new BadInputCase("simulate --shard over an existing file", b => ["simulate", "--n", "10", "--shard", "1/2", "--out", b.At("part.h5")], Bad,
            "already exists")
        { Setup = b => b.Write("part.h5", "kept") },
        new BadInputCase("simulate-trace over an existing file", b => ["simulate-trace", "--out", b.At("trace.csv")], Bad, "already exists")
        { Setup = b => b.Write("trace.csv", "kept") },
        new BadInputCase("features --out f.csv names both outputs alike", b => ["features", b.At("d.h5"), "--out", b.At("f.csv")], Bad, "same name")
        { Setup = b => TinyRuns.Data(b) },
        new BadInputCase("evaluate on a changed dataset", b => ["evaluate", b.At("run"), "--data-dir", b.At("cache")], Bad,
            "is not the dataset this run trained on")
        { Setup = b => { TinyRuns.Run(b, "dataset"); TinyRuns.ChangeData(b); } },
        new BadInputCase("encode on a changed dataset", b => ["encode", b.At("run"), "--out", b.At("z.h5"), "--data-dir", b.At("cache")], Bad,
            "is not the dataset this run trained on")
        { Setup = b => { TinyRuns.Run(b, "trace"); TinyRuns.ChangeData(b); } },
        new BadInputCase("resume on a changed dataset", b => ["--resume", b.At("run"), "--threads", "1", "--data-dir", b.At("cache")], Bad,
            "is not the dataset this run trained on")
        { Setup = b => { TinyRuns.Run(b, "paused"); TinyRuns.ChangeData(b); } },
        new BadInputCase("a cache file holding other traces than its name says",
            b => ["--hh-count", "20", "--epochs", "1", "--threads", "1", "--data-dir", b.At("cache"), "--out", b.At("r")], Bad,
            "not what its name promises")
        {
            Setup = b =>
            {
                Directory.CreateDirectory(b.At("cache/hh"));
                File.Copy(Path.Combine(TinyRuns.Dir, "seed5-n20.h5"), b.At("cache/hh/report-seed0-n20.h5"));
            },
        },
        new BadInputCase("--hh-count 1 is refused before the cache is touched",
            b => ["--hh-count", "1", "--epochs", "1", "--data-dir", b.At("cache"), "--out", b.At("r")], Bad, "--hh-count: 1 is out of range"),
        new BadInputCase("reproduce --only nosuch is refused before the cache is touched",
            b => ["reproduce", "--only", "nosuch", "--hh-count", "20", "--data-dir", b.At("cache"), "--out", b.At("exp")], Bad,
            "no sweep or config named nosuch"),
        new BadInputCase("a later write removes a killed writer's temporary file", b => ["simulate", "--n", "10", "--out", b.At("out.h5")],
            ExitCodes.Ok, "")
        {
            Setup = b => File.WriteAllText(b.At($".out.h5.{DeadPid()}.{Guid.NewGuid():N}.tmp"), "left by kill -9"),
            Leaves = (b, _) => Assert.Equal(["out.h5"], Directory.GetFileSystemEntries(b.Dir).Select(Path.GetFileName)),
        });

    [Theory, MemberData(nameof(Cases))]
    public void Fails_cleanly(BadInputCase c) => BadInputRunner.Check(c);

    // The id of a process that has exited.
    private static int DeadPid()
    {
        using var p = System.Diagnostics.Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }
}
