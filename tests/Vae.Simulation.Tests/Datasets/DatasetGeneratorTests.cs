using PureHDF;
using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Tests.Datasets;

public class DatasetGeneratorTests
{
    private static readonly SolverOptions Solver = new();

    [Fact]
    public void Result_does_not_depend_on_thread_count()
    {
        var one = DatasetGenerator.FromSeed(HhProtocol.Report, 40, 3, Solver, threads: 1);
        var two = DatasetGenerator.FromSeed(HhProtocol.Report, 40, 3, Solver, threads: 2);
        Assert.Equal(one.Scaled, two.Scaled);
        Assert.Equal(one.RawMin, two.RawMin);
        Assert.Equal(one.Statistics.RhsEvaluations, two.Statistics.RhsEvaluations);
    }

    [Fact]
    public void Traces_are_scaled_to_the_unit_interval_and_the_scaling_can_be_undone()
    {
        var ds = DatasetGenerator.FromSeed(HhProtocol.Report, 6, 1, Solver);
        var reference = new double[HhProtocol.Report.ScalingSampleCount];
        for (int i = 0; i < ds.Count; i++)
        {
            var row = ds.ScaledTrace(i).ToArray();
            Assert.Equal(0f, row.Min());
            Assert.Equal(1f, row.Max());
            TraceSimulator.SimulateVoltage(HhProtocol.Report, ds.Conductances[i], Solver, reference);
            var raw = ds.RawTrace(i);
            // float32 storage: about 7 significant digits of a ~100 mV range.
            Assert.True(raw.Zip(reference, (a, b) => Math.Abs(a - b)).Max() < 1e-4 * (ds.RawMax[i] - ds.RawMin[i]) + 1e-3);
            Assert.InRange(ds.SpikeCounts[i], 1, 10);
        }
        Assert.Equal(5, ds.TrainCount);
        Assert.True(ds.Statistics.RhsEvaluations > 6 * 1000);
    }

    [Fact]
    public void Seed_code_traces_are_scaled_over_100_ms_and_cut_to_50()
    {
        var ds = DatasetGenerator.FromParameters(HhProtocol.SeedCode, [new(36, 120)], "test", Solver);
        Assert.Equal(5000, ds.SampleCount);
        var full = new double[10_000];
        TraceSimulator.SimulateVoltage(HhProtocol.SeedCode, new(36, 120), Solver, full);
        Assert.Equal(full.Min(), ds.RawMin[0], 6);
        Assert.Equal(full.Max(), ds.RawMax[0], 6);
    }

    [Fact]
    public void Invalid_requests_are_input_errors()
    {
        Assert.Throws<SimulationInputException>(() => DatasetGenerator.FromSeed(HhProtocol.Report, 0, 1, Solver));
        Assert.Throws<SimulationInputException>(() => DatasetGenerator.FromSeed(HhProtocol.Report with { EquilibrationMs = -1 }, 4, 1, Solver));
        Assert.Throws<SimulationInputException>(() => DatasetGenerator.FromSeed(HhProtocol.Report, 4, 1, Solver with { RelativeTolerance = 0 }));
        var e = Assert.Throws<SimulationInputException>(() => DatasetGenerator.FromParameters(HhProtocol.Report, [new(36, 120), new(-1, 120)],
            "test", Solver));
        Assert.Contains("gK", e.Message);
    }

    [Fact]
    public void Hdf5_file_holds_the_documented_layout()
    {
        var ds = DatasetGenerator.FromSeed(HhProtocol.Report, 5, 9, Solver);
        var path = Path.Combine(Path.GetTempPath(), $"hh-{Guid.NewGuid():N}.h5");
        try
        {
            Hdf5DatasetWriter.Write(ds, path);
            using var file = H5File.OpenRead(path);
            var traces = file.Dataset("traces");
            Assert.Equal([5UL, 5000UL], traces.Space.Dimensions);
            Assert.Equal(ds.Scaled, traces.Read<float[]>());
            Assert.Equal(ds.RawMin, file.Dataset("raw_min").Read<double[]>());
            Assert.Equal(ds.RawMax, file.Dataset("raw_max").Read<double[]>());
            var p = file.Dataset("parameters");
            Assert.Equal([5UL, 2UL], p.Space.Dimensions);
            var flat = p.Read<double[]>();
            Assert.Equal(ds.Conductances[3].GNa, flat[7]);
            Assert.Equal(0.01, file.Dataset("time").Read<double[]>()[1], 12);
            Assert.Equal(new byte[] { 0, 0, 0, 0, 1 }, file.Dataset("split").Read<byte[]>());
            Assert.Equal(ds.SpikeCounts, file.Dataset("spike_count").Read<int[]>());
            Assert.Equal("report", file.Attribute("protocol").Read<string>());
            Assert.Equal("9", file.Attribute("seed").Read<string>());
            Assert.Equal(15.0, file.Attribute("protocol_stimulus_uA_per_cm2").Read<double>());
            Assert.Equal(200.0, file.Attribute("protocol_equilibration_ms").Read<double>());
            Assert.Equal(4, file.Attribute("n_train").Read<int>());
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}*"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_unwritable_path_is_an_input_error_and_leaves_no_file()
    {
        var ds = DatasetGenerator.FromSeed(HhProtocol.Report, 1, 9, Solver);
        var folder = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}");
        var e = Assert.Throws<SimulationInputException>(() => Hdf5DatasetWriter.Write(ds, Path.Combine(folder, "x.h5")));
        Assert.Contains("does not exist", e.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void A_failing_write_removes_its_temporary_file()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var target = Path.Combine(folder, "out.h5");
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, temp =>
            {
                File.WriteAllText(temp, "partial");
                throw new InvalidOperationException("simulated failure");
            }));
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
