using PureHDF;
using Vae.Simulation.Features;

namespace Vae.Simulation.Tests.Features;

public class FeatureTableWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fvae-table-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    private static FeatureTable Table() => new(
        new FeatureMatrix(["efel_spike_count_mV", "efel_ISI_CV_mV"], 2, [3, 0.25, 1, double.NaN]),
        [true, false], [30, 40], [115, 125], new StimulusWindow(10, double.PositiveInfinity), (-75, 40));

    [Fact]
    public void Csv_rows_hold_identity_then_features_with_nan_spelled_out()
    {
        var h5 = Path.Combine(_folder, "f.h5");
        var csv = Path.Combine(_folder, "f.csv");
        FeatureTableWriter.Write(Table(), "data.h5", h5, csv);
        Assert.Equal(["index,split,gK,gNa,efel_spike_count_mV,efel_ISI_CV_mV", "0,0,30,115,3,0.25", "1,1,40,125,1,NaN"],
            File.ReadAllLines(csv));
        using var file = H5File.OpenRead(h5);
        Assert.Equal(new double[] { 0.25, double.NaN }, file.Dataset("efel_ISI_CV_mV").Read<double[]>());
        Assert.Equal(new byte[] { 0, 1 }, file.Dataset("split").Read<byte[]>());
        Assert.Equal("data.h5", file.Attribute("source").Read<string>());
        Assert.Equal(double.PositiveInfinity, file.Attribute("stimulus_end_ms").Read<double>());
    }

    [Fact]
    public void When_one_file_cannot_be_written_neither_appears()
    {
        var h5 = Path.Combine(_folder, "f.h5");
        Assert.Throws<SimulationInputException>(() =>
            FeatureTableWriter.Write(Table(), "data.h5", h5, Path.Combine(_folder, "missing", "f.csv")));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }
}
