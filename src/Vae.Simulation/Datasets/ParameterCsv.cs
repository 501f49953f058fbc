using System.Globalization;
using Vae.Simulation.Traces;

namespace Vae.Simulation.Datasets;

/// <summary>
/// Reads per-trace conductances from a CSV file with a header row naming a gK column (gK, gkbar, g_K) and a gNa
/// column (gNa, gnabar, g_Na), case-insensitive; other columns (such as an index) are ignored. Rows are traces
/// in dataset order.
/// </summary>
public static class ParameterCsv
{
    private static readonly string[] GkNames = ["gk", "gkbar", "g_k"];
    private static readonly string[] GnaNames = ["gna", "gnabar", "g_na"];

    /// <summary>Reads the file; any problem becomes a <see cref="SimulationInputException"/> naming file and line.</summary>
    public static Conductances[] Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SimulationInputException($"cannot read parameter file '{path}': {e.Message}");
        }
        return Parse(lines, path);
    }

    /// <summary>Parses CSV text lines (header first); <paramref name="source"/> names them in error messages.</summary>
    public static Conductances[] Parse(IReadOnlyList<string> lines, string source)
    {
        int first = 0;
        while (first < lines.Count && string.IsNullOrWhiteSpace(lines[first])) first++;
        if (first == lines.Count)
            throw new SimulationInputException($"parameter file '{source}' is empty; it needs a header with gK and gNa columns.");
        var header = lines[first].Split(',').Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToArray();
        int gk = Array.FindIndex(header, h => GkNames.Contains(h));
        int gna = Array.FindIndex(header, h => GnaNames.Contains(h));
        if (gk < 0 || gna < 0)
            throw new SimulationInputException($"parameter file '{source}' needs columns gK (or gkbar) and gNa (or gnabar); "
                + $"its header is '{lines[first]}'.");
        var result = new List<Conductances>();
        for (int i = first + 1; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length)
                throw new SimulationInputException($"parameter file '{source}' line {i + 1}: expected {header.Length} fields, found {cells.Length}.");
            result.Add(new Conductances(Value(cells[gk], "gK", i), Value(cells[gna], "gNa", i)));
        }
        if (result.Count == 0)
            throw new SimulationInputException($"parameter file '{source}' has a header but no rows.");
        return result.ToArray();

        double Value(string cell, string name, int line)
        {
            if (!double.TryParse(cell.Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
                || !double.IsFinite(x) || x < 0)
                throw new SimulationInputException($"parameter file '{source}' line {line + 1}: {name} '{cell.Trim()}' is not a finite number >= 0.");
            return x;
        }
    }
}
