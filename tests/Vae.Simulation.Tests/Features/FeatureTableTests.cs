using Vae.Simulation.Datasets;
using Vae.Simulation.Features;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;

namespace Vae.Simulation.Tests.Features;

public class FeatureTableTests
{
    [Fact]
    public void The_table_holds_every_set_in_both_units_under_its_named_columns()
    {
        var data = DatasetGenerator.FromSeed(HhProtocol.Report, 6, 2, SolverOptions.Default);
        var traces = FeatureTraces.From(data);
        var parameters = data.Conductances.SelectMany(c => new[] { c.GK, c.GNa }).ToArray();
        var table = FeatureTable.Compute(traces, parameters);
        Assert.Equal(2 * (9 + 7), table.Features.Columns.Count);
        Assert.Equal("efel_spike_count_mV", table.Features.Columns[0]);
        Assert.Equal("sbi_stim_kurtosis_scaled", table.Features.Columns[^1]);
        foreach (var (set, units) in FeatureTable.Blocks)
        {
            var block = TraceFeatures.Compute(traces, set, units);
            foreach (var name in block.Columns)
                Assert.Equal(block.Column(name), table.Features.Column(FeatureTable.ColumnName(set, units, name)));
        }
        Assert.Equal(data.Conductances.Select(c => c.GNa), table.GNa);
        Assert.Equal(traces.TrainingRange, table.ScaledMap);
        Assert.Throws<ArgumentException>(() => FeatureTable.Compute(traces, parameters[..10]));
    }
}
