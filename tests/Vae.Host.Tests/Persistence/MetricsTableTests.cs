using Vae.Runs.Persistence;

namespace Vae.Host.Tests.Persistence;

public class MetricsTableTests
{
    [Fact]
    public void Round_trips_through_csv_exactly()
    {
        var t = new MetricsTable(["epoch", "loss"]);
        t.Add(new Dictionary<string, double> { ["epoch"] = 1, ["loss"] = 0.1 + 0.2 });
        t.Add(new Dictionary<string, double> { ["epoch"] = 2, ["loss"] = 1e-300 });
        var back = MetricsTable.Parse(t.ToCsv());
        Assert.Equal(t.Columns, back.Columns);
        Assert.Equal(t.Column("loss"), back.Column("loss"));
        Assert.StartsWith("epoch,loss\n1,", t.ToCsv());
    }

    [Fact]
    public void Rejects_incomplete_rows_and_ragged_files()
    {
        var t = new MetricsTable(["epoch", "loss"]);
        Assert.Throws<ArgumentException>(() => t.Add(new Dictionary<string, double> { ["epoch"] = 1 }));
        Assert.Throws<InvalidDataException>(() => MetricsTable.Parse("epoch,loss\n1\n"));
    }
}
