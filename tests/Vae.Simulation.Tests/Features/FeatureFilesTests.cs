using PureHDF;
using PureHDF.VOL.Native;
using Vae.Simulation.Datasets;
using Vae.Simulation.Features;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Tests.Features;

public class FeatureFilesTests : IDisposable
{
    private static readonly HhDataset Data = DatasetGenerator.FromSeed(HhProtocol.Report, 11, 5, SolverOptions.Default);
    private readonly string _folder = Directory.CreateTempSubdirectory("fvae-feature-files-").FullName;
    private readonly string _data;

    public FeatureFilesTests()
    {
        _data = Path.Combine(_folder, "hh.h5");
        Hdf5DatasetWriter.Write(Data, _data);
    }

    public void Dispose() => Directory.Delete(_folder, true);

    private string Out(string name) => Path.Combine(_folder, name);

    private string[] Files() => Directory.GetFiles(_folder).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void Features_streamed_from_a_file_in_blocks_equal_the_table_computed_in_memory()
    {
        var parameters = Data.Conductances.SelectMany(c => new[] { c.GK, c.GNa }).ToArray();
        var table = FeatureTable.Compute(FeatureTraces.From(Data), parameters, threads: 1);
        FeatureTableWriter.Write(table, _data, Out("memory.h5"), Out("memory.csv"));

        FeatureFilesSummary summary;
        using (var file = HhStreamedFile.Open(_data))
            // Blocks of 4 rows: three blocks, the last one short.
            summary = FeatureFiles.Write(FeatureTraces.From(file), file.Parameters, _data, Out("streamed.h5"), Out("streamed.csv"),
                threads: 2, blockRows: 4);

        var m = table.Features;
        Assert.Equal(m.Columns, summary.Columns);
        Assert.Equal(11, summary.Rows);
        Assert.Equal(Enumerable.Range(0, m.Columns.Count).Select(j => (long)m.Column(j).Count(double.IsNaN)), summary.Undefined);
        Assert.Equal(File.ReadAllBytes(Out("memory.csv")), File.ReadAllBytes(Out("streamed.csv")));
        using var memory = H5File.OpenRead(Out("memory.h5"));
        using var streamed = H5File.OpenRead(Out("streamed.h5"));
        Assert.Equal(memory.Dataset("split").Read<byte[]>(), streamed.Dataset("split").Read<byte[]>());
        foreach (var name in new[] { "gK", "gNa" }.Concat(m.Columns))
            Assert.Equal(memory.Dataset(name).Read<double[]>(), streamed.Dataset(name).Read<double[]>());
        foreach (var name in m.Columns)
            Assert.Equal(m.Column(name), streamed.Dataset(name).Read<double[]>());
        var attributes = memory.Attributes().Select(a => a.Name).ToList();
        Assert.Equal(attributes, streamed.Attributes().Select(a => a.Name));
        foreach (var name in attributes)
            Assert.Equal(Attribute(memory, name), Attribute(streamed, name));
    }

    [Theory]
    [InlineData(4)]   // between blocks
    [InlineData(11)]  // after the last block, before the files move into place
    public void A_cancelled_write_leaves_neither_file_nor_a_temporary(int cancelAfter)
    {
        using var cancel = new CancellationTokenSource();
        var traces = FeatureTraces.From(Data);
        Assert.ThrowsAny<OperationCanceledException>(() => FeatureFiles.Write(traces, new double[22], _data, Out("f.h5"), Out("f.csv"),
            blockRows: 4, progress: done => { if (done == cancelAfter) cancel.Cancel(); }, cancel: cancel.Token));
        Assert.Equal(["hh.h5"], Files());
    }

    [Fact]
    public void A_failing_read_leaves_neither_file_nor_a_temporary()
    {
        var traces = FeatureTraces.From(Data);
        var failing = traces with
        {
            ReadRows = (first, count, into) =>
            {
                if (first + count > 8)
                    throw new IOException("the disk went away");
                traces.ReadRows(first, count, into);
            },
        };
        var e = Assert.ThrowsAny<Exception>(() => FeatureFiles.Write(failing, new double[22], _data, Out("f.h5"), Out("f.csv"), blockRows: 4));
        Assert.Contains("the disk went away", (e as AggregateException)?.InnerException?.Message ?? e.Message);
        Assert.Equal(["hh.h5"], Files());
    }

    private static string Attribute(NativeFile file, string name)
    {
        var attribute = file.Attribute(name);
        return attribute.Type.Class == H5DataTypeClass.FloatingPoint
            ? attribute.Read<double>().ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : attribute.Read<string>();
    }
}
