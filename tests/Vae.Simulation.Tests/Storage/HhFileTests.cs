using PureHDF;
using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Tests.Storage;

public class HhFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fvae-hhfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    [Fact]
    public void A_written_dataset_reads_back_unchanged()
    {
        var ds = DatasetGenerator.FromSeed(HhProtocol.Report, 6, 4, SolverOptions.Default);
        var path = Path.Combine(_folder, "hh.h5");
        Hdf5DatasetWriter.Write(ds, path);

        var hh = HhFile.Read(path);
        Assert.Equal((6, 5000), (hh.Count, hh.Length));
        Assert.Equal(ds.Scaled, hh.Traces);
        Assert.Equal(ds.RawMin, hh.RawMin);
        Assert.Equal(ds.RawMax, hh.RawMax);
        Assert.Equal(ds.Conductances.SelectMany(c => new[] { c.GK, c.GNa }), hh.Parameters);
        Assert.Equal(HhProtocol.Report.TimeAxis(), hh.Time);
        Assert.Equal([0, 1, 2, 3, 4], hh.TrainIndices);
        Assert.Equal([5], hh.TestIndices);
        Assert.Equal(("report", "4"), (hh.Protocol, hh.Seed));
        Assert.Equal(5, HhFile.TrainCount(path));
    }

    [Fact]
    public void A_missing_file_names_the_command_that_makes_one()
    {
        var path = Path.Combine(_folder, "absent.h5");
        var e = Assert.Throws<InvalidDataException>(() => HhFile.Read(path));
        Assert.Contains("does not exist", e.Message);
        Assert.Contains("simulate --out", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_hdf5_is_reported_as_unreadable()
    {
        var path = Path.Combine(_folder, "text.h5");
        File.WriteAllText(path, "not an HDF5 file");
        Assert.Contains("is not a readable HH dataset", Assert.Throws<InvalidDataException>(() => HhFile.Read(path)).Message);
        Assert.Contains("is not a readable HH dataset", Assert.Throws<InvalidDataException>(() => HhFile.TrainCount(path)).Message);
    }

    [Fact]
    public void A_file_missing_a_dataset_or_with_inconsistent_shapes_is_rejected_by_name()
    {
        var traces = new float[3 * 4];
        var missing = Path.Combine(_folder, "missing.h5");
        new H5File { [HhFileLayout.Traces] = new H5Dataset(traces, fileDims: [3, 4]) }.Write(missing);
        Assert.Contains("no /raw_min dataset", Assert.Throws<InvalidDataException>(() => HhFile.Read(missing)).Message);

        var shapes = Path.Combine(_folder, "shapes.h5");
        new H5File
        {
            [HhFileLayout.Traces] = new H5Dataset(traces, fileDims: [3, 4]),
            [HhFileLayout.RawMin] = new double[3],
            [HhFileLayout.RawMax] = new double[3],
            [HhFileLayout.Parameters] = new H5Dataset(new double[6], fileDims: [3, 2]),
            [HhFileLayout.Time] = new double[5],
            [HhFileLayout.Split] = new byte[] { 0, 0, 1 },
        }.Write(shapes);
        Assert.Contains("/time needs one value per sample", Assert.Throws<InvalidDataException>(() => HhFile.Read(shapes)).Message);
    }
}
