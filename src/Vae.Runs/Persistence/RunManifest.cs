using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.Json;
using Vae.Runs.Data;
using Vae.Runs.Settings;

namespace Vae.Runs.Persistence;

/// <summary>
/// config.json: the run's <see cref="TrainConfig"/> plus what else identifies it (dataset, versions, threads,
/// creation time). Reading it back gives the config that reproduces the run.
/// </summary>
public static class RunManifest
{
    /// <summary>Writes config.json for a run, with what it records about its data (<see cref="RecordedData"/>).</summary>
    public static void Write(RunFolder folder, TrainConfig cfg, string datasetIdentity, RecordedData recorded, int threads)
    {
        var node = new JsonObject
        {
            ["config"] = JsonNode.Parse(cfg.ToJson()),
            ["dataset"] = datasetIdentity,
            [DataSection] = new JsonObject
            {
                ["content_hash"] = recorded.ContentHash,
                ["scaling_offset_mv"] = recorded.Scaling?.Offset,
                ["scaling_scale_mv"] = recorded.Scaling?.Scale,
            },
            ["threads"] = threads,
            ["created"] = DateTime.UtcNow.ToString("O"),
            ["versions"] = new JsonObject
            {
                ["functionalvae"] = typeof(RunManifest).Assembly.GetName().Version?.ToString(),
                ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
                ["dotnet"] = RuntimeInformation.FrameworkDescription,
                ["os"] = RuntimeInformation.RuntimeIdentifier,
            },
        };
        folder.WriteText(folder.ConfigPath, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private const string DataSection = "data";

    /// <summary>What an existing run recorded about its data; <see cref="RecordedData.None"/> for runs written before it was.</summary>
    public static RecordedData ReadData(RunFolder folder)
    {
        try
        {
            if (JsonNode.Parse(File.ReadAllText(folder.ConfigPath))?[DataSection] is not JsonObject data)
                return RecordedData.None;
            var (offset, scale) = (data["scaling_offset_mv"]?.GetValue<double>(), data["scaling_scale_mv"]?.GetValue<double>());
            return new RecordedData(data["content_hash"]?.GetValue<string>(), offset is { } o && scale is { } s ? new TraceScaling(o, s) : null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{folder.ConfigPath}: its \"{DataSection}\" section is not readable ({e.Message})");
        }
    }

    /// <summary>The config of an existing run.</summary>
    public static TrainConfig Read(RunFolder folder)
    {
        try
        {
            var node = (JsonNode.Parse(File.ReadAllText(folder.ConfigPath)) as JsonObject)?["config"] as JsonObject
                       ?? throw new InvalidDataException($"{folder.ConfigPath} has no \"config\" object; restore the file or train a new run.");
            return StoredConfigCheck.Read(node.ToJsonString(), folder.ConfigPath);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{folder.ConfigPath} is not a valid run config ({e.Message}); restore the file or train a new run.");
        }
    }
}
