using Vae.Simulation.Datasets;
using Vae.Simulation.Features;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Tests.Features;

public class FeatureTracesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fvae-features-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    [Fact]
    public void A_dataset_file_gives_the_traces_stimulus_and_split_of_the_dataset()
    {
        var data = DatasetGenerator.FromSeed(HhProtocol.SeedCode, 5, 1, SolverOptions.Default);
        var path = Path.Combine(_folder, "d.h5");
        Hdf5DatasetWriter.Write(data, path);
        var fromFile = FeatureTraces.From(HhFile.Read(path));
        var fromData = FeatureTraces.From(data);
        Assert.Equal(data.Scaled, Rows(fromData));
        Assert.Equal(data.Scaled, Rows(fromFile));
        using (var streamed = HhStreamedFile.Open(path))
            Assert.Equal(data.Scaled, Rows(FeatureTraces.From(streamed)));
        Assert.Equal(fromData.TimeMs, fromFile.TimeMs);
        Assert.Equal(fromData.RawMin, fromFile.RawMin);
        Assert.Equal(fromData.IsTrain, fromFile.IsTrain);
        Assert.Equal([true, true, true, true, false], fromFile.IsTrain);
        Assert.Equal(new StimulusWindow(10, double.PositiveInfinity), fromFile.Stimulus);
        Assert.Equal(new StimulusWindow(10, 50),
            FeatureTraces.From(DatasetGenerator.FromSeed(HhProtocol.Figure26, 2, 1, SolverOptions.Default)).Stimulus);
    }

    private static float[] Rows(FeatureTraces traces)
    {
        var rows = new float[traces.Count * traces.Length];
        traces.ReadRows(0, traces.Count, rows);
        return rows;
    }

    [Fact]
    public void A_file_of_an_unknown_protocol_is_refused_naming_it()
    {
        var custom = HhProtocol.Report with { Name = "custom", RecordingMs = 20, ScalingWindowMs = 20 };
        var path = Path.Combine(_folder, "c.h5");
        Hdf5DatasetWriter.Write(DatasetGenerator.FromSeed(custom, 5, 1, SolverOptions.Default), path);
        var e = Assert.Throws<InvalidDataException>(() => FeatureTraces.From(HhFile.Read(path)));
        Assert.Contains("protocol 'custom'", e.Message);
    }
}
