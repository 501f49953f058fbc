using System.Text.Json.Nodes;

namespace Vae.Host.Tests.BadInput;

/// <summary>
/// Tiny datasets and runs made once per test process and copied into each case's sandbox: 40 traces of seed 0,
/// 20 traces of seed 5, and 1-epoch runs on the 40 traces with each scaling (one paused after epoch 1 of 2).
/// </summary>
public static class TinyRuns
{
    private static readonly Lazy<string> Shared = new(Make);

    /// <summary>The shared folder (made on first use).</summary>
    public static string Dir => Shared.Value;

    private static string Make()
    {
        var dir = Directory.CreateTempSubdirectory("fvae-tinyruns-").FullName;
        void Run(params string[] args)
        {
            var (code, _, err) = CliRunner.Run(args);
            if (code != 0)
                throw new InvalidOperationException($"{string.Join(' ', args)}: exit {code}: {err}");
        }
        Run("simulate", "--n", "40", "--threads", "1", "--out", Path.Combine(dir, "d40.h5"));
        Run("simulate", "--n", "20", "--seed", "5", "--threads", "1", "--out", Path.Combine(dir, "seed5-n20.h5"));
        foreach (var (name, extra) in new[] { ("dataset", new[] { "--epochs", "1", "--scaling", "dataset" }),
            ("trace", ["--epochs", "1", "--scaling", "trace"]), ("paused", ["--epochs", "2", "--stop-after", "1"]) })
            Run(["--hh-data", Path.Combine(dir, "d40.h5"), "--batch-size", "8", "--threads", "1", "--no-analysis", "--quiet",
                 "--data-dir", Path.Combine(dir, "cache"), "--out", Path.Combine(dir, $"run-{name}"), .. extra]);
        return dir;
    }

    /// <summary>Copies the 40-trace dataset into the sandbox as <paramref name="name"/>.</summary>
    public static string Data(Sandbox box, string name = "d.h5")
    {
        File.Copy(Path.Combine(Dir, "d40.h5"), box.At(name));
        return box.At(name);
    }

    /// <summary>Copies run <paramref name="kind"/> (dataset, trace, paused) and its data (d.h5) into the sandbox, the run reading that
    /// copy.</summary>
    public static string Run(Sandbox box, string kind, string name = "run")
    {
        var data = Data(box);
        var source = Path.Combine(Dir, $"run-{kind}");
        var target = box.At(name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        var config = Path.Combine(target, "config.json");
        var node = JsonNode.Parse(File.ReadAllText(config))!;
        node["config"]!["hhData"] = data;
        File.WriteAllText(config, node.ToJsonString());
        return target;
    }

    /// <summary>Replaces the sandbox's d.h5 with another dataset (20 traces of seed 5).</summary>
    public static void ChangeData(Sandbox box) =>
        File.Copy(Path.Combine(Dir, "seed5-n20.h5"), box.At("d.h5"), overwrite: true);
}
