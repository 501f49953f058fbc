using Vae.Runs;
using Vae.Runs.Data;
using Vae.Runs.Training;
using Vae.Simulation.Storage;
using static TorchSharp.torch;
using Vae.Runs.Settings;

namespace Vae.Runs.Tests.Data;

/// <summary>A dataset as a run's model input: each case's splits, transform and record, served in batches.</summary>
public sealed class TrainingDataTests
{
    // Five traces of four samples, split train, test, train, test, train; gK = i, gNa = 10 + i.
    private static HhFile File5()
    {
        const int count = 5, length = 4;
        var traces = Enumerable.Range(0, count * length).Select(v => v / 20f).ToArray();
        return new HhFile("mem.h5", traces, count, length, [-80, -75, -70, -65, -60], [40, 30, 20, 10, 0],
            Enumerable.Range(0, count).SelectMany(i => new double[] { i, 10 + i }).ToArray(), [0, 0.1, 0.2, 0.3], [0, 1, 0, 1, 0], "p", "0");
    }

    private static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();

    [Theory]
    [InlineData("trace")]
    [InlineData("dataset")]
    public void Hh_splits_are_the_files_traces_as_model_input_in_file_order_with_their_conductances(string scaling)
    {
        TestTorch.Ensure();
        var cfg = new TrainConfig { Scaling = scaling == "dataset" ? ScalingMode.Dataset : ScalingMode.Trace };
        using var data = new HhTraces(HhModelInput.For(cfg, File5(), RecordedData.None), "five");
        using var scope = NewDisposeScope();
        Assert.Equal((3, 2, 4), (data.Train.Count, data.Test.Count, data.Features));
        Assert.Equal(Floats(data.Traces.Rows([0, 2, 4])), Floats(data.Train.All()));
        Assert.Equal(Floats(data.Traces.Rows([1, 3])), Floats(data.Test.All()));
        Assert.Equal([(0.0, 10.0), (2.0, 12.0), (4.0, 14.0)], data.TrainConductances);
        Assert.Equal([(1.0, 11.0), (3.0, 13.0)], data.TestConductances);
        // Dataset scaling: the map fitted on the training split (-80 .. 40 mV), recorded with the content.
        Assert.Equal(scaling == "dataset" ? new TraceScaling(-80, 120) : null, data.Map);
        Assert.Equal(new RecordedData(data.File.ContentHash, data.Map), data.Recorded);
        Assert.Equal(DataKind.Traces, data.Kind);
    }

    [Fact]
    public void Rows_by_range_and_by_index_set_agree()
    {
        TestTorch.Ensure();
        using var rows = new InMemoryRows(arange(12, dtype: ScalarType.Float32).reshape(4, 3));
        using var scope = NewDisposeScope();
        Assert.Equal(Floats(rows.Rows([1, 2])), Floats(rows.Rows(1, 2)));
        Assert.Equal([9f, 10, 11, 0, 1, 2], Floats(rows.Rows([3, 0])));
        Assert.Equal(12, Floats(rows.All()).Length);
    }

    [Fact]
    public void Images_carry_their_labels_and_side()
    {
        TestTorch.Ensure();
        using var data = new MnistImages(ones(3, 4), zeros(2, 4), 2, [1, 2, 1], [2, 1], "digits");
        Assert.Equal((3, 2, 4, 2), (data.Train.Count, data.Test.Count, data.Features, data.ImageSide));
        Assert.Equal([2, 1], data.TestLabels);
        Assert.Equal(RecordedData.None, data.Recorded);
        Assert.Equal(DataKind.Images, data.Kind);
    }

    [Fact]
    public void Another_file_is_scaled_by_the_runs_recorded_map_without_a_content_to_match()
    {
        TestTorch.Ensure();
        var other = Path.Combine(TinyData.Dir, "seed5-n20.h5");
        var recorded = new RecordedData("the run's own content", new TraceScaling(-90, 150));
        using var data = TrainingData.LoadOther(new TrainConfig { Scaling = ScalingMode.Dataset }, other, TinyData.Dir, 1, _ => { }, recorded);
        Assert.Equal(recorded.Scaling, data.Map);
        Assert.Equal(20, data.Traces.Count);
        Assert.Contains(other, data.Identity);
    }

    [Fact]
    public void Another_file_is_refused_for_an_mnist_run()
    {
        var cfg = new TrainConfig { Dataset = Dataset.Mnist };
        Assert.Throws<UserInputException>(() => TrainingData.LoadOther(cfg, "other.h5", "cache", 1, _ => { }, RecordedData.None));
    }
}
