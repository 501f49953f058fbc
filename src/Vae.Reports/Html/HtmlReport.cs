using System.Net;
using System.Text;
using Vae.Simulation.Storage;

namespace Vae.Reports.Html;

/// <summary>
/// A self-contained HTML report: headings, text, key/value tables, embedded PNG figures and interactive
/// plotly.js charts. plotly.js (shipped inside Plotly.NET) is inlined once, so the page opens offline.
/// </summary>
public sealed class HtmlReport(string title)
{
    private readonly StringBuilder _body = new();
    private int _charts;

    /// <summary>Adds a section heading.</summary>
    public HtmlReport Heading(string text)
    {
        _body.Append($"<h2>{WebUtility.HtmlEncode(text)}</h2>\n");
        return this;
    }

    /// <summary>Adds a paragraph of plain text.</summary>
    public HtmlReport Paragraph(string text)
    {
        _body.Append($"<p>{WebUtility.HtmlEncode(text)}</p>\n");
        return this;
    }

    /// <summary>Adds a table with a header row.</summary>
    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table>\n<tr>");
        foreach (var h in header)
            _body.Append($"<th>{WebUtility.HtmlEncode(h)}</th>");
        _body.Append("</tr>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var cell in row)
                _body.Append($"<td>{WebUtility.HtmlEncode(cell)}</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</table>\n");
        return this;
    }

    /// <summary>Adds a PNG image, embedded as a data URI, with a caption.</summary>
    public HtmlReport Image(byte[] png, string caption)
    {
        _body.Append($"<figure><img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"{WebUtility.HtmlEncode(caption)}\"/>"
                     + $"<figcaption>{WebUtility.HtmlEncode(caption)}</figcaption></figure>\n");
        return this;
    }

    /// <summary>Adds an interactive chart or point map.</summary>
    public HtmlReport Chart(Panel panel)
    {
        var id = $"chart{_charts++}";
        _body.Append($"<div id=\"{id}\" class=\"chart\"></div>\n<script>(function(){{var f={PlotlyFigure.Json(panel)};"
                     + $"Plotly.newPlot('{id}',f.data,f.layout,{{responsive:true}});}})();</script>\n");
        return this;
    }

    /// <summary>The whole page.</summary>
    public string Render()
    {
        var head = new StringBuilder();
        head.Append($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>{WebUtility.HtmlEncode(title)}</title>\n");
        head.Append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
                    + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
                    + "figure{margin:1em 0}img{max-width:100%}.chart{width:100%;height:450px}</style>\n");
        if (_charts > 0)
            head.Append("<script>").Append(PlotlyJs.Value.Replace("</script", "<\\/script")).Append("</script>\n");
        head.Append($"</head><body>\n<h1>{WebUtility.HtmlEncode(title)}</h1>\n");
        return head.Append(_body).Append("</body></html>\n").ToString();
    }

    /// <summary>Writes the page atomically to <paramref name="path"/>.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, Render(), createFolder: true);

    private static readonly Lazy<string> PlotlyJs = new(() =>
    {
        var asm = typeof(Plotly.NET.GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith(".min.js", StringComparison.Ordinal));
        using var s = asm.GetManifestResourceStream(name)!;
        return new StreamReader(s).ReadToEnd();
    });
}
