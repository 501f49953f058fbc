using System.Globalization;
using Vae.Runs.Inference;
using Vae.Runs.Tests.Data;
using Vae.Simulation.Protocols;

namespace Vae.Runs.Tests.Inference;

/// <summary>Observations are read in mV on the protocol's grid; anything else is refused with what to do.</summary>
public sealed class ObservationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fvae-obs-").FullName;
    private static readonly HhProtocol Protocol = HhProtocol.Report;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static double[] Resting() =>
        Enumerable.Range(0, Protocol.SampleCount).Select(k => -65 + 80 * Math.Exp(-Math.Pow((k - 2000) / 30.0, 2))).ToArray();

    private string Csv(string name, string header, IEnumerable<string> rows)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, header.Length == 0 ? rows : rows.Prepend(header));
        return path;
    }

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void A_csv_with_time_and_voltage_or_one_bare_column_reads_as_mV()
    {
        var v = Resting();
        var timed = Csv("t.csv", "t_ms,V_mV,n", v.Select((x, k) => $"{N(k * 0.01)},{N(x)},0.3"));
        var bare = Csv("b.csv", "", v.Select(N));
        Assert.Equal(v, Observation.Read(timed, Protocol).Millivolts);
        Assert.Equal(v, Observation.Read(bare, Protocol).Millivolts);
    }

    [Fact]
    public void A_trace_of_a_dataset_file_reads_as_its_mV()
    {
        var path = Path.Combine(TinyData.Dir, "d40.h5");
        var o = Observation.Read(path, Protocol, trace: 3);
        using var file = Vae.Simulation.Storage.HhStreamedFile.Open(path);
        var expected = new double[file.Length];
        file.Millivolts(3, expected);
        Assert.Equal(expected, o.Millivolts);
        Assert.Contains("trace 3", o.Source);
    }

    [Theory]
    [InlineData("length", "has 4999 samples but protocol 'report' records 5000 samples")]
    [InlineData("grid", "not 0.01 ms")]
    [InlineData("nan", "non-finite value (NaN) at sample 7")]
    [InlineData("scaled", "lies within [-1, 1]")]
    [InlineData("volts", "lies within [-1, 1]")]
    [InlineData("microvolts", "not a membrane potential in mV")]
    [InlineData("no-voltage", "has no V_mV column")]
    [InlineData("text", "data row 3 has no number")]
    public void Bad_observations_are_refused_naming_the_problem(string kind, string message)
    {
        var v = Resting();
        var path = kind switch
        {
            "length" => Csv("x.csv", "V_mV", v.Skip(1).Select(N)),
            "grid" => Csv("x.csv", "t_ms,V_mV", v.Select((x, k) => $"{N(k * 0.02)},{N(x)}")),
            "nan" => Csv("x.csv", "V_mV", v.Select((x, k) => k == 7 ? "NaN" : N(x))),
            "scaled" => Csv("x.csv", "V_mV", v.Select(x => N((x + 65) / 80))),
            "volts" => Csv("x.csv", "V_mV", v.Select(x => N(x / 1000))),
            "microvolts" => Csv("x.csv", "V_mV", v.Select(x => N(x * 1000))),
            "no-voltage" => Csv("x.csv", "t,V", v.Select(x => $"0,{N(x)}")),
            _ => Csv("x.csv", "V_mV", v.Select((x, k) => k == 2 ? "abc" : N(x))),
        };
        var e = Assert.Throws<UserInputException>(() => Observation.Read(path, Protocol));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_dataset_file_of_many_traces_needs_a_trace_and_a_csv_takes_none()
    {
        var path = Path.Combine(TinyData.Dir, "d40.h5");
        Assert.Contains("choose one of its traces, 0 .. 39", Assert.Throws<UserInputException>(() => Observation.Read(path, Protocol)).Message);
        Assert.Contains("is not a trace", Assert.Throws<UserInputException>(() => Observation.Read(path, Protocol, 40)).Message);
        var csv = Csv("c.csv", "V_mV", Resting().Select(N));
        Assert.Contains("name no trace", Assert.Throws<UserInputException>(() => Observation.Read(csv, Protocol, 0)).Message);
        var missing = Path.Combine(_dir, "none.csv");
        Assert.Contains("does not exist", Assert.Throws<UserInputException>(() => Observation.Read(missing, Protocol)).Message);
    }
}
