using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vae.Reports.Html;

/// <summary>
/// A chart or point map as plotly.js figure JSON (data + layout), for the interactive report. Written directly
/// rather than through Plotly.NET's F# chart functions, whose 30-odd optional arguments are not optional from C#.
/// </summary>
public static class PlotlyFigure
{
    /// <summary>The figure JSON of <paramref name="panel"/> (a <see cref="ChartSpec"/> or a <see cref="PointMap"/>).</summary>
    public static string Json(Panel panel)
    {
        var (data, xLabel, yLabel, logY) = panel switch
        {
            ChartSpec chart => (ChartTraces(chart), chart.XLabel, chart.YLabel, chart.LogY),
            PointMap map => (MapTraces(map.Validated()), map.XLabel, map.YLabel, false),
            _ => throw new ArgumentException($"{panel.GetType().Name} has no interactive form; embed it as an image"),
        };
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = panel.Title },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = xLabel } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = yLabel }, ["type"] = logY ? "log" : "linear" },
            ["margin"] = new JsonObject { ["t"] = 50 },
            ["showlegend"] = panel is not ChartSpec { Legend: false },
        };
        return new JsonObject { ["data"] = data, ["layout"] = layout }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static JsonArray ChartTraces(ChartSpec spec)
    {
        var data = new JsonArray();
        foreach (var (s, i) in spec.Series.Select((s, i) => (s.Validated(), i)))
            data.Add(new JsonObject
            {
                ["type"] = spec.Markers ? "scattergl" : "scatter",
                ["mode"] = spec.Markers ? "markers" : "lines",
                ["name"] = s.Name,
                ["x"] = Numbers(s.X),
                ["y"] = Numbers(s.Y),
                ["line"] = new JsonObject { ["dash"] = spec.DashedOdd && i % 2 == 1 ? "dash" : "solid" },
            });
        return data;
    }

    private static JsonArray MapTraces(PointMap map)
    {
        JsonObject Trace(string name, IEnumerable<int> idx, JsonObject marker)
        {
            var points = idx.ToArray();
            return new JsonObject
            {
                ["type"] = "scattergl", ["mode"] = "markers", ["name"] = name,
                ["x"] = Numbers(points.Select(i => map.X[i]).ToArray()),
                ["y"] = Numbers(points.Select(i => map.Y[i]).ToArray()),
                ["marker"] = marker,
            };
        }
        var all = Enumerable.Range(0, map.Value.Length);
        if (map.Categorical)
            return new JsonArray(map.Value.Distinct().Order()
                .Select(v => (JsonNode)Trace($"{map.ValueLabel} {v:G4}", all.Where(i => map.Value[i] == v), new JsonObject { ["size"] = 4 }))
                .ToArray());
        return
        [
            Trace(map.ValueLabel, all, new JsonObject
            {
                ["size"] = 4, ["color"] = Numbers(map.Value), ["colorscale"] = "Viridis", ["showscale"] = true,
                ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = map.ValueLabel } },
            }),
        ];
    }

    // NaN and infinities are not JSON: plotly.js draws null as a gap.
    private static JsonArray Numbers(double[] values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).ToArray<JsonNode?>());
}
