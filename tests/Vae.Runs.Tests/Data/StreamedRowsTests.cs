using Vae.Runs.Data;
using Vae.Runs.Settings;
using Vae.Runs.Training;
using Vae.Simulation.Storage;
using static TorchSharp.torch;

namespace Vae.Runs.Tests.Data;

/// <summary>An HH file's traces read from the file on demand serve the same batches as the traces held in memory.</summary>
public sealed class StreamedRowsTests
{
    private static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();

    private static (HhTraces Memory, HhTraces Stream) Both(string scaling)
    {
        var cfg = new TrainConfig { Scaling = scaling == "dataset" ? ScalingMode.Dataset : ScalingMode.Trace };
        var path = Path.Combine(TinyData.Dir, "d40.h5");
        return (HhTraces.Load(cfg, path, RecordedData.None, DataResidence.Memory), HhTraces.Load(cfg, path, RecordedData.None, DataResidence.Stream));
    }

    [Theory]
    [InlineData("trace")]
    [InlineData("dataset")]
    public void Streamed_batches_equal_the_in_memory_batches_of_the_same_seed(string scaling)
    {
        TestTorch.Ensure();
        var (memory, stream) = Both(scaling);
        using var m = memory;
        using var s = stream;
        Assert.Equal((DataResidence.Memory, DataResidence.Stream), (m.Residence, s.Residence));
        Assert.IsType<SplitRows>(s.Train);
        using var scope = NewDisposeScope();
        const int batch = 8;
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var order = BatchOrder.ForEpoch(m.Train.Count, ShuffleMode.Epoch, 3, epoch);
            for (var b = 0; b < BatchOrder.BatchesPerEpoch(m.Train.Count, batch); b++)
            {
                var rows = order.AsSpan(b * batch, batch).ToArray();
                Assert.Equal(Floats(m.Train.Rows(rows)), Floats(s.Train.Rows(rows)));
            }
        }
        Assert.Equal(Floats(m.Test.All()), Floats(s.Test.All()));
        Assert.Equal(Floats(m.Test.Rows(3, 4)), Floats(s.Test.Rows(3, 4)));
        Assert.Equal(Floats(m.Traces.Rows([39, 0, 17])), Floats(s.Traces.Rows([39, 0, 17])));
        Assert.Equal(Floats(m.Traces.Rows(30, 10)), Floats(s.Traces.Rows(30, 10)));
    }

    [Fact]
    public void The_streamed_scaling_fit_and_record_equal_the_in_memory_ones()
    {
        TestTorch.Ensure();
        var (memory, stream) = Both("dataset");
        using var m = memory;
        using var s = stream;
        Assert.NotNull(s.Map);
        // Records compare their doubles exactly: the fit is the same to the bit.
        Assert.Equal(m.Map, s.Map);
        Assert.Equal(m.Recorded, s.Recorded);
        Assert.Equal(m.TrainConductances, s.TrainConductances);
        Assert.Equal(m.TestConductances, s.TestConductances);
        var mv = (new double[m.File.Length], new double[s.File.Length]);
        m.File.Millivolts(7, mv.Item1);
        s.File.Millivolts(7, mv.Item2);
        Assert.Equal(mv.Item1, mv.Item2);
    }

    [Fact]
    public void A_streamed_file_is_hashed_and_checked_as_one_read_whole()
    {
        var path = Path.Combine(TinyData.Dir, "d40.h5");
        using var streamed = HhStreamedFile.Open(path);
        var whole = HhFile.Read(path);
        Assert.Equal(whole.ContentHash, streamed.ContentHash);
        Assert.Equal((whole.Count, whole.Length), (streamed.Count, streamed.Length));
        var rows = new float[2 * whole.Length];
        streamed.ReadRows(5, 2, rows);
        Assert.Equal(whole.Traces.AsSpan(5 * whole.Length, 2 * whole.Length).ToArray(), rows);
        Assert.Throws<ArgumentOutOfRangeException>(() => streamed.ReadRows(39, 2, new float[2 * whole.Length]));
    }

    [Fact]
    public void Traces_are_read_from_the_file_unless_memory_is_asked_for()
    {
        // No test sets the variable; a run outside the tests may.
        Assert.Null(Environment.GetEnvironmentVariable(HhResidence.Variable));
        Assert.Equal(DataResidence.Stream, HhResidence.Chosen());
    }
}
