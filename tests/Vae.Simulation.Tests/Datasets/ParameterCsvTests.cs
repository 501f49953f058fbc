using System.Security.Cryptography;
using Vae.Simulation.Datasets;

namespace Vae.Simulation.Tests.Datasets;

public class ParameterCsvTests
{
    /// <summary>The repository's data/seed-hh-parameters.csv, copied beside the test assembly by the build.</summary>
    private static readonly string SeedFile = Path.Combine(AppContext.BaseDirectory, "data", "seed-hh-parameters.csv");

    [Fact]
    public void The_repositorys_parameter_file_is_the_original_studys_as_received()
    {
        // The checksum data/README.md records for the file as it came with the study.
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(SeedFile)));
        Assert.Equal("f497f16c670a6adba994d9202edb426cbb1cd53ed0070cbfcc9c16d9b08d9a4e", hash);
    }

    [Fact]
    public void Reads_the_original_studys_parameter_file()
    {
        var rows = ParameterCsv.Read(SeedFile);
        Assert.Equal(10_000, rows.Length);
        Assert.Equal(34.54186591292219, rows[0].GK);
        Assert.Equal(123.62278257699786, rows[0].GNa);
        Assert.All(rows, r => { Assert.InRange(r.GK, 26, 46); Assert.InRange(r.GNa, 110, 130); });
    }

    [Fact]
    public void Finds_columns_by_name_in_any_order_and_case()
    {
        var rows = ParameterCsv.Parse(["gNa, note, GK", "120, a, 36", "", "110.5,b,26"], "test");
        Assert.Equal([new(36, 120), new(26, 110.5)], rows);
    }

    [Theory]
    [InlineData(new string[0], "empty")]
    [InlineData(new[] { "index,gk" }, "needs columns")]
    [InlineData(new[] { "gk,gna" }, "no rows")]
    [InlineData(new[] { "gk,gna", "36" }, "line 2")]
    [InlineData(new[] { "gk,gna", "36,abc" }, "'abc'")]
    [InlineData(new[] { "gk,gna", "36,120", "-1,120" }, "line 3")]
    [InlineData(new[] { "gk,gna", "NaN,120" }, "finite")]
    public void Malformed_files_give_a_message_naming_the_problem(string[] lines, string mentioned)
    {
        var e = Assert.Throws<SimulationInputException>(() => ParameterCsv.Parse(lines, "p.csv"));
        Assert.Contains(mentioned, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_missing_file_is_an_input_error()
    {
        var missing = Path.Combine(AppContext.BaseDirectory, "no-such-file.csv");
        var e = Assert.Throws<SimulationInputException>(() => ParameterCsv.Read(missing));
        Assert.Contains(missing, e.Message);
    }
}
