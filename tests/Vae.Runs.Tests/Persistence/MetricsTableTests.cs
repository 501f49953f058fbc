using Vae.Model;
using Vae.Runs.Persistence;
using Vae.Runs.Training;
using Vae.Runs.Metrics;

namespace Vae.Runs.Tests.Persistence;

public class MetricsTableTests
{
    // metrics.csv of a 2-epoch HH Conv-VAE run (z = 2, 400 traces, seed 0), written before the metrics were a record.
    private static readonly string Written =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", "metrics-hh-conv-z2.csv"));

    private static EpochMetrics Epoch(int epoch, double loss, params double[] klPerDim) =>
        EpochMetrics.Of(epoch, 10L * epoch, 1e-3 / epoch, 0.1 + 0.2, (loss * 4, loss * 3, loss), batches: 4,
            new Losses.Metrics(loss, loss / 3, loss / 7, klPerDim), features: 5000);

    [Fact]
    public void Epochs_round_trip_through_csv_exactly()
    {
        var t = new MetricsTable(2);
        t.Add(Epoch(1, 0.1 + 0.2, 1e-300, double.Epsilon));
        t.Add(Epoch(2, 1e17 / 3, 0, -0.0));
        var back = MetricsTable.Parse(t.ToCsv());
        Assert.Equal(2, back.LatentDim);
        Assert.Equal(t.Epochs, back.Epochs);
        Assert.Equal(t.ToCsv(), back.ToCsv());
        Assert.StartsWith("epoch,step,lr,seconds,", t.ToCsv());
        Assert.Equal([1.0, 2.0], back.Series(e => e.Epoch));
    }

    [Fact]
    public void A_file_written_before_the_record_loads_and_is_written_back_byte_for_byte()
    {
        var t = MetricsTable.Parse(Written);
        Assert.Equal(2, t.LatentDim);
        Assert.Equal([5L, 10], t.Epochs.Select(e => e.Step));
        var last = t.Epochs[^1];
        Assert.Equal((2, 3.4227024433899005E-05, 187.5414031982422), (last.Epoch, last.LearningRate, last.Train.Loss));
        Assert.Equal((174.5559539794922, 174.55595588684082, 0.034197052001953124), (last.Test.Loss, last.Test.ElboBeta1, last.Test.ReconPerFeature));
        Assert.Equal([1.5518041849136353, 2.0188915729522705], last.Test.KlPerDimension);
        Assert.Null(last.StepTimes);
        Assert.Equal(Written, t.ToCsv());
    }

    [Fact]
    public void A_header_only_file_is_a_table_without_epochs()
    {
        var t = MetricsTable.Parse(string.Join(",", MetricsColumns.Of(3)) + "\n");
        Assert.Equal((3, 0), (t.LatentDim, t.Epochs.Count));
    }

    [Fact]
    public void Rejects_other_latent_sizes_unknown_headers_and_ragged_files()
    {
        var t = new MetricsTable(2);
        Assert.Throws<ArgumentException>(() => t.Add(Epoch(1, 1, 0.5)));
        Assert.Throws<InvalidDataException>(() => MetricsTable.Parse(""));
        Assert.Contains("columns epoch,loss", Assert.Throws<InvalidDataException>(() => MetricsTable.Parse("epoch,loss\n1,2\n")).Message);
        var ragged = Written.Split('\n')[0] + "\n1,5\n";
        Assert.Contains("2 cells", Assert.Throws<InvalidDataException>(() => MetricsTable.Parse(ragged)).Message);
    }
}
