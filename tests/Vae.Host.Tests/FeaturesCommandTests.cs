using System.Globalization;
using PureHDF;
using Vae.Host.Cli;
using Vae.Simulation.Datasets;
using Vae.Simulation.Features;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Host.Tests;

public class FeaturesCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fvae-features-").FullName;
    private readonly string _data;

    public FeaturesCommandTests()
    {
        _data = Path.Combine(_folder, "hh.h5");
        Hdf5DatasetWriter.Write(DatasetGenerator.FromSeed(HhProtocol.SeedCode, 10, 4, SolverOptions.Default), _data);
    }

    public void Dispose() => Directory.Delete(_folder, true);

    private string[] Files() => Directory.GetFiles(_folder).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void Features_of_a_dataset_go_to_hdf5_and_csv_one_named_column_each()
    {
        var (code, output, err) = CliRunner.Run("features", _data, "--threads", "2");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("computed 32 features of 10 traces (protocol seed-code, onset 10 ms", output);
        Assert.Equal(["hh-features.csv", "hh-features.h5", "hh.h5"], Files());

        var file = HhFile.Read(_data);
        var expected = FeatureTable.Compute(FeatureTraces.From(file), file.Parameters).Features;
        using (var h5 = H5File.OpenRead(Path.Combine(_folder, "hh-features.h5")))
        {
            Assert.Equal(file.Split, h5.Dataset("split").Read<byte[]>());
            Assert.Equal(file.Parameters.Where((_, k) => k % 2 == 0), h5.Dataset("gK").Read<double[]>());
            Assert.Equal(file.Parameters.Where((_, k) => k % 2 == 1), h5.Dataset("gNa").Read<double[]>());
            foreach (var column in expected.Columns)
                Assert.Equal(expected.Column(column), h5.Dataset(column).Read<double[]>());
            Assert.Equal(string.Join(",", expected.Columns), h5.Attribute("columns").Read<string>());
            Assert.Equal(10.0, h5.Attribute("stimulus_onset_ms").Read<double>());
        }

        var lines = File.ReadAllLines(Path.Combine(_folder, "hh-features.csv"));
        Assert.Equal(11, lines.Length);
        var header = lines[0].Split(',');
        Assert.Equal(["index", "split", "gK", "gNa", "efel_spike_count_mV"], header[..5]);
        Assert.Contains("sbi_stim_kurtosis_scaled", header);
        Assert.Equal(4 + 32, header.Length);
        for (int i = 0; i < 10; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal(file.Split[i].ToString(CultureInfo.InvariantCulture), cells[1]);
            for (int j = 0; j < expected.Columns.Count; j++)
                Assert.Equal(expected[i, j], double.Parse(cells[4 + j], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void The_command_streams_the_file_into_the_same_csv_as_the_table_computed_in_memory()
    {
        var (code, _, err) = CliRunner.Run("features", _data, "--out", Path.Combine(_folder, "streamed.h5"));
        Assert.True(code == ExitCodes.Ok, err);
        var file = HhFile.Read(_data);
        FeatureTableWriter.Write(FeatureTable.Compute(FeatureTraces.From(file), file.Parameters), _data,
            Path.Combine(_folder, "memory.h5"), Path.Combine(_folder, "memory.csv"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_folder, "memory.csv")), File.ReadAllBytes(Path.Combine(_folder, "streamed.csv")));
    }

    [Fact]
    public void An_interrupted_run_exits_130_leaving_neither_file()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = HostCli.Run(["features", _data], output, error, cancel.Token);
        Assert.Equal(ExitCodes.Interrupted, code);
        Assert.StartsWith("error: interrupted", error.ToString());
        Assert.Equal(["hh.h5"], Files());
    }

    [Fact]
    public void Bad_input_is_one_error_line_exit_2_and_nothing_written()
    {
        void Refused(string expected, params string[] args)
        {
            var before = Files();
            var (code, output, err) = CliRunner.Run(args);
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.StartsWith("error: ", err);
            Assert.Single(err.TrimEnd().Split('\n'));
            Assert.Contains(expected, err);
            Assert.Equal(before, Files());
        }
        Refused("does not exist", "features", Path.Combine(_folder, "missing.h5"));
        var text = Path.Combine(_folder, "notes.h5");
        File.WriteAllText(text, "not an HDF5 file");
        Refused("is not a readable HH dataset", "features", text);
        File.Delete(text);
        var custom = Path.Combine(_folder, "custom.h5");
        Hdf5DatasetWriter.Write(DatasetGenerator.FromSeed(HhProtocol.Report with { Name = "custom", RecordingMs = 20, ScalingWindowMs = 20 }, 5, 1,
            SolverOptions.Default), custom);
        Refused("protocol 'custom'", "features", custom);
        File.Delete(custom);
        Refused("does not exist", "features", _data, "--out", Path.Combine(_folder, "no-such-folder", "f.h5"));
        Refused("overwrite the dataset", "features", _data, "--out", _data);
    }

    [Fact]
    public void Existing_outputs_are_kept_unless_forced()
    {
        var csv = Path.Combine(_folder, "f.csv");
        File.WriteAllText(csv, "mine");
        var (code, _, err) = CliRunner.Run("features", _data, "--out", Path.Combine(_folder, "f.h5"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--force", err);
        Assert.Equal("mine", File.ReadAllText(csv));
        Assert.False(File.Exists(Path.Combine(_folder, "f.h5")));

        (code, _, err) = CliRunner.Run("features", _data, "--out", Path.Combine(_folder, "f.h5"), "--force");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.StartsWith("index,split,gK,gNa,", File.ReadAllText(csv));
    }
}
