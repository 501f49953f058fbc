using System.Text;

namespace Vae.Reports.Html;

/// <summary>A header and rows of cells as CSV (RFC 4180 quoting) or as a Markdown table.</summary>
public static class TextTables
{
    /// <summary>CSV, one line per row; a cell with a comma, quote or line break is quoted.</summary>
    public static string Csv(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        static string Line(IEnumerable<string> cells) => string.Join(",", cells.Select(Quote));
        return string.Join("\n", new[] { Line(header) }.Concat(rows.Select(Line))) + "\n";
    }

    /// <summary>A Markdown table; a <c>|</c> inside a cell is escaped.</summary>
    public static string Markdown(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        static string Line(IEnumerable<string> cells) =>
            "| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |\n";
        var sb = new StringBuilder(Line(header)).Append('|').Append(string.Concat(Enumerable.Repeat("---|", header.Count))).Append('\n');
        foreach (var r in rows)
            sb.Append(Line(r));
        return sb.ToString();
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
