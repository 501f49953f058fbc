using System.Text.Json.Nodes;

namespace Vae.Host.Tests.BadInput;

/// <summary>Small run folders made inside a case's sandbox (a few training steps on 20 simulated traces).</summary>
internal static class RunFixtures
{
    /// <summary>Trains a tiny HH run into <c>run</c> (data cache in <c>data</c>); paused after one of two epochs if
    /// <paramref name="paused"/>.</summary>
    public static string Train(Sandbox box, bool paused = false)
    {
        string[] args = ["--hh-count", "20", "--epochs", paused ? "2" : "1", "--batch-size", "4", "--model", "mlp", "--no-analysis", "--quiet",
            "--threads", "1", "--data-dir", box.At("data"), "--out", box.At("run"), .. paused ? ["--stop-after", "1"] : Array.Empty<string>()];
        var (code, _, err) = CliRunner.Run(args);
        Assert.True(code == 0, err);
        return box.At("run");
    }

    /// <summary>A run folder holding only a config.json whose "config" is changed by <paramref name="edit"/>.</summary>
    public static void ConfigOnly(Sandbox box, Action<JsonObject> edit)
    {
        var cfg = new JsonObject { ["dataset"] = "hh", ["model"] = "mlp", ["latentDim"] = 2, ["hhCount"] = 20 };
        edit(cfg);
        box.Write("run/config.json", new JsonObject { ["config"] = cfg }.ToJsonString());
    }

    /// <summary>Changes the "config" section of the run's config.json.</summary>
    public static void EditConfig(Sandbox box, Action<JsonObject> edit)
    {
        var path = box.At("run/config.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root["config"]!.AsObject());
        File.WriteAllText(path, root.ToJsonString());
    }

    /// <summary>Overwrites <paramref name="name"/> in the sandbox with bytes that are no safetensors file.</summary>
    public static void Garble(Sandbox box, string name) =>
        File.WriteAllBytes(box.At(name), Enumerable.Range(0, 1000).Select(i => (byte)(i * 37 + 11)).ToArray());

    /// <summary>Sets the first value of the first tensor of a safetensors file to NaN.</summary>
    public static void PoisonFirstWeight(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var dataStart = 8 + (int)BitConverter.ToUInt64(bytes, 0);
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, dataStart);
        File.WriteAllBytes(path, bytes);
    }
}
