using System.Globalization;
using System.Text;
using PureHDF;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Features;

/// <summary>
/// Writes a <see cref="FeatureTable"/> as HDF5 (one float64 [N] dataset per feature column, <c>/split</c> uint8 with
/// 0 = train, <c>/gK</c>, <c>/gNa</c>, and how the features were made as root attributes) and as CSV (the same
/// columns after <c>index, split, gK, gNa</c>; NaN written as <c>NaN</c>), both atomically.
/// </summary>
public static class FeatureTableWriter
{
    /// <summary>The columns that identify a trace, before the features, in the CSV.</summary>
    public static IReadOnlyList<string> IdentityColumns { get; } = ["index", "split", "gK", "gNa"];

    /// <summary>
    /// Writes both files; neither appears unless both are complete (the CSV is renamed into place inside the
    /// HDF5 file's write, which is renamed last). <paramref name="source"/> names the dataset the features came from.
    /// </summary>
    public static void Write(FeatureTable table, string source, string hdf5Path, string csvPath) =>
        AtomicFile.Write(hdf5Path, temp =>
        {
            Hdf5(table, source).Write(temp);
            AtomicFile.Write(csvPath, csvTemp => File.WriteAllText(csvTemp, Csv(table)));
        });

    private static H5File Hdf5(FeatureTable table, string source)
    {
        var features = table.Features;
        var file = new H5File
        {
            ["split"] = table.IsTrain.Select(t => t ? (byte)0 : (byte)1).ToArray(),
            ["gK"] = table.GK,
            ["gNa"] = table.GNa,
        };
        for (int j = 0; j < features.Columns.Count; j++)
            file[features.Columns[j]] = features.Column(j);
        var a = file.Attributes;
        a["description"] = "Hand-crafted features per trace (docs/features.md): <set>_<feature>_<units>, set efel or sbi, "
            + "units mV (trace in mV) or scaled (the [0, 1] trace, thresholds moved by one dataset-wide map); NaN = undefined.";
        a["source"] = source;
        a["columns"] = string.Join(",", features.Columns);
        a["stimulus_onset_ms"] = table.Stimulus.OnsetMs;
        a["stimulus_end_ms"] = table.Stimulus.EndMs;
        a["scaled_map_low_mV"] = table.ScaledMap.Low;
        a["scaled_map_high_mV"] = table.ScaledMap.High;
        var mv = FeatureThresholds.Millivolts;
        a["spike_threshold_mV"] = mv.SpikeThreshold;
        a["derivative_threshold_mV_per_ms"] = mv.DerivativeThreshold;
        a["down_derivative_threshold_mV_per_ms"] = mv.DownDerivativeThreshold;
        a["sbi_spike_threshold_mV"] = mv.SbiSpikeThreshold;
        a["generator"] = $"FunctionalVae Vae.Simulation {typeof(FeatureTableWriter).Assembly.GetName().Version}";
        return file;
    }

    private static string Csv(FeatureTable table)
    {
        var features = table.Features;
        var text = new StringBuilder();
        text.AppendJoin(',', IdentityColumns.Concat(features.Columns)).Append('\n');
        static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        for (int i = 0; i < features.Rows; i++)
        {
            text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(table.IsTrain[i] ? '0' : '1')
                .Append(',').Append(Number(table.GK[i])).Append(',').Append(Number(table.GNa[i]));
            foreach (double x in features.Row(i))
                text.Append(',').Append(Number(x));
            text.Append('\n');
        }
        return text.ToString();
    }
}
