using Vae.Simulation.Datasets;
using Vae.Simulation.Features;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using static Vae.Simulation.Tests.Features.SyntheticTraces;

namespace Vae.Simulation.Tests.Features;

public class TraceFeaturesTests
{
    private static readonly HhDataset Data = DatasetGenerator.FromSeed(HhProtocol.Report, 40, 3, SolverOptions.Default);

    [Fact]
    public void Rows_are_each_traces_features_in_mV_whatever_the_thread_count()
    {
        var traces = FeatureTraces.From(Data);
        foreach (var set in new[] { FeatureSet.Efel, FeatureSet.Sbi })
        {
            var one = TraceFeatures.Compute(traces, set, TraceUnits.Millivolts, threads: 1);
            var two = TraceFeatures.Compute(traces, set, TraceUnits.Millivolts, threads: 2);
            Assert.Equal(one.Values, two.Values);
            Assert.Equal(TraceFeatures.Columns(set), one.Columns);
            Assert.Equal(40, one.Rows);
            for (int i = 0; i < 40; i += 13)
            {
                var v = Data.RawTrace(i);
                var t = HhProtocol.Report.TimeAxis();
                var w = StimulusWindow.Of(HhProtocol.Report);
                var expected = set == FeatureSet.Efel
                    ? EfelFeatures.Compute(v, t, w, FeatureThresholds.Millivolts)
                    : SbiStatistics.Compute(v, t, w, FeatureThresholds.Millivolts);
                Assert.Equal(expected, one.Row(i).ToArray());
            }
        }
    }

    [Fact]
    public void Scaled_rows_read_the_stored_trace_with_thresholds_moved_by_the_training_map()
    {
        var traces = FeatureTraces.From(Data);
        var (low, high) = traces.TrainingRange;
        Assert.Equal(Data.RawMin.Take(Data.TrainCount).Average(), low, 12);
        Assert.Equal(Data.RawMax.Take(Data.TrainCount).Average(), high, 12);
        var m = TraceFeatures.Compute(traces, FeatureSet.Efel, TraceUnits.Scaled);
        int i = 35;   // a test row: the map comes from the training rows only
        var x = Data.ScaledTrace(i).ToArray().Select(f => (double)f).ToArray();
        var expected = EfelFeatures.Compute(x, HhProtocol.Report.TimeAxis(), StimulusWindow.Of(HhProtocol.Report),
            FeatureThresholds.Millivolts.ToScaled(low, high));
        Assert.Equal(expected, m.Row(i).ToArray());
        Assert.InRange(m[i, EfelFeatures.Columns.ToList().IndexOf("AP1_amp")], 0.5, 1.0);   // a fraction of the [0, 1] range
    }

    [Fact]
    public void The_training_map_ignores_test_rows()
    {
        var traces = new FeatureTraces(new float[6], 3, 2, [-70, -80, -100], [30, 40, 100], [0, 1],
            new StimulusWindow(0.5, double.PositiveInfinity), [true, true, false]);
        Assert.Equal((-75.0, 35.0), traces.TrainingRange);
        Assert.Equal(FeatureThresholds.Millivolts.ToScaled(-75, 35), TraceFeatures.Thresholds(traces, TraceUnits.Scaled));
    }

    [Fact]
    public void Inconsistent_input_is_refused_with_one_clear_message()
    {
        var good = new FeatureTraces(new float[6], 3, 2, [0, 0, 0], [1, 1, 1], [0, 1], Window, [true, true, false]);
        Assert.Contains("time axis",
            Assert.Throws<SimulationInputException>(() => TraceFeatures.Compute(good with { TimeMs = [0, 1, 2] }, FeatureSet.Sbi,
            TraceUnits.Millivolts)).Message);
        Assert.Contains("increase",
            Assert.Throws<SimulationInputException>(() => TraceFeatures.Compute(good with { TimeMs = [1, 1] }, FeatureSet.Sbi,
            TraceUnits.Millivolts)).Message);
        var unfilled = new FeatureTraces(new float[5], 3, 2, [0, 0, 0], [1, 1, 1], [0, 1], Window, [true, true, false]);
        Assert.Contains("do not fill",
            Assert.Throws<SimulationInputException>(() => TraceFeatures.Compute(unfilled, FeatureSet.Sbi, TraceUnits.Millivolts)).Message);
    }
}
