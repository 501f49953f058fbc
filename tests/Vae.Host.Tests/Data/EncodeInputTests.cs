using System.Text.Json.Nodes;
using PureHDF;
using Vae.Host.Cli;
using Vae.Runs.Data;
using Vae.Runs.Persistence;
using Vae.Host.Tests.BadInput;
using Vae.Simulation.Storage;
using static TorchSharp.torch;
using Vae.Runs.Settings;

namespace Vae.Host.Tests.Data;

/// <summary>`encode` feeds the model the input it trained on, for both scalings and for another dataset.</summary>
public sealed class EncodeInputTests
{
    [Theory]
    [InlineData("dataset")]
    [InlineData("trace")]
    public void Encode_gives_the_posterior_means_of_the_training_data(string scaling)
    {
        TestTorch.Ensure();
        using var box = new Sandbox();
        var run = TinyRuns.Run(box, scaling);
        var (code, _, err) = CliRunner.Run("encode", run, "--out", box.At("z.h5"), "--threads", "1", "--data-dir", box.At("cache"));
        Assert.True(code == ExitCodes.Ok, err);
        var (mu, split) = ReadLatents(box.At("z.h5"));

        var folder = RunFolder.Open(run);
        var cfg = RunManifest.Read(folder);
        using var data = TrainingData.Load(cfg, box.At("cache"), null, 1, _ => { }, recorded: RunManifest.ReadData(folder));
        var model = RunArgument.Model(cfg, folder, data.Kind, data.Features);
        using var scope = NewDisposeScope();
        var trained = model.Encode(data.Train.All()).Mu.to(ScalarType.Float32).data<float>().ToArray();
        var encoded = Enumerable.Range(0, split.Length).Where(i => split[i] == 0).SelectMany(i => mu.Skip(i * 2).Take(2)).ToArray();
        Assert.Equal(trained.Length, encoded.Length);
        for (var k = 0; k < trained.Length; k++)
            Assert.Equal(trained[k], encoded[k], 5);
    }

    [Fact]
    public void Encode_of_another_dataset_scales_it_by_the_runs_recorded_map()
    {
        TestTorch.Ensure();
        using var box = new Sandbox();
        var run = TinyRuns.Run(box, "dataset");
        var other = box.At("other.h5");
        File.Copy(Path.Combine(TinyRuns.Dir, "seed5-n20.h5"), other);
        var (code, _, err) = CliRunner.Run("encode", run, "--data", other, "--out", box.At("z.h5"), "--threads", "1", "--data-dir", box.At("cache"));
        Assert.True(code == ExitCodes.Ok, err);
        var (mu, _) = ReadLatents(box.At("z.h5"));

        // The input by hand: each stored trace back to mV, then through the map config.json records.
        var map = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["data"]!;
        var (offset, scale) = (map["scaling_offset_mv"]!.GetValue<double>(), map["scaling_scale_mv"]!.GetValue<double>());
        var hh = HhFile.Read(other);
        var input = new float[hh.Traces.Length];
        for (var i = 0; i < hh.Count; i++)
            for (var t = 0; t < hh.Length; t++)
            {
                var mv = hh.Traces[i * hh.Length + t] * (hh.RawMax[i] - hh.RawMin[i]) + hh.RawMin[i];
                input[i * hh.Length + t] = (float)((mv - offset) / scale);
            }
        var folder = RunFolder.Open(run);
        var model = RunArgument.Model(RunManifest.Read(folder), folder, DataKind.Traces, hh.Length);
        using var scope = NewDisposeScope();
        var expected = model.Encode(tensor(input, [hh.Count, hh.Length])).Mu.to(ScalarType.Float32).data<float>().ToArray();
        Assert.Equal(expected.Length, mu.Length);
        for (var k = 0; k < mu.Length; k++)
            Assert.Equal(expected[k], mu[k], 5);
    }

    private static (float[] Mu, byte[] Split) ReadLatents(string path)
    {
        using var file = H5File.OpenRead(path);
        return (file.Dataset("mu").Read<float[]>(), file.Dataset("split").Read<byte[]>());
    }
}
