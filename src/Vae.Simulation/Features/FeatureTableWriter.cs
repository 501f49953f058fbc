using System.Globalization;
using System.Text;
using PureHDF;

namespace Vae.Simulation.Features;

/// <summary>
/// Writes a <see cref="FeatureTable"/> as HDF5 (one float64 [N] dataset per feature column, <c>/split</c> uint8 with
/// 0 = train, <c>/gK</c>, <c>/gNa</c>, and how the features were made as root attributes) and as CSV (the same
/// columns after <c>index, split, gK, gNa</c>; NaN written as <c>NaN</c>), both atomically. The layout is spelled here;
/// <see cref="FeatureFilesWriter"/> writes it a block of rows at a time.
/// </summary>
public static class FeatureTableWriter
{
    /// <summary>The columns that identify a trace, before the features, in the CSV.</summary>
    public static IReadOnlyList<string> IdentityColumns { get; } = ["index", "split", "gK", "gNa"];

    /// <summary>
    /// Writes both files; neither appears unless both are complete (see <see cref="FeatureFilesWriter.Complete"/>).
    /// <paramref name="source"/> names the dataset the features came from.
    /// </summary>
    public static void Write(FeatureTable table, string source, string hdf5Path, string csvPath)
    {
        var features = table.Features;
        using var writer = new FeatureFilesWriter(hdf5Path, csvPath,
            new FeatureFilesHeader(features.Columns, table.IsTrain, table.GK, table.GNa, table.Stimulus, table.ScaledMap, source));
        writer.WriteRows(features.Values, features.Rows);
        writer.Complete();
    }

    /// <summary>
    /// The HDF5 file: the identity columns, one dataset per feature column (<paramref name="columns"/>, whose values are
    /// written later), and the attributes.
    /// </summary>
    internal static H5File Hdf5Layout(FeatureFilesHeader header, IReadOnlyList<H5Dataset<double[]>> columns)
    {
        var file = new H5File
        {
            ["split"] = header.IsTrain.Select(t => t ? (byte)0 : (byte)1).ToArray(),
            ["gK"] = header.GK,
            ["gNa"] = header.GNa,
        };
        for (int j = 0; j < header.Columns.Count; j++)
            file[header.Columns[j]] = columns[j];
        var a = file.Attributes;
        a["description"] = "Hand-crafted features per trace (docs/features.md): <set>_<feature>_<units>, set efel or sbi, "
            + "units mV (trace in mV) or scaled (the [0, 1] trace, thresholds moved by one dataset-wide map); NaN = undefined.";
        a["source"] = header.Source;
        a["columns"] = string.Join(",", header.Columns);
        a["stimulus_onset_ms"] = header.Stimulus.OnsetMs;
        a["stimulus_end_ms"] = header.Stimulus.EndMs;
        a["scaled_map_low_mV"] = header.ScaledMap.Low;
        a["scaled_map_high_mV"] = header.ScaledMap.High;
        var mv = FeatureThresholds.Millivolts;
        a["spike_threshold_mV"] = mv.SpikeThreshold;
        a["derivative_threshold_mV_per_ms"] = mv.DerivativeThreshold;
        a["down_derivative_threshold_mV_per_ms"] = mv.DownDerivativeThreshold;
        a["sbi_spike_threshold_mV"] = mv.SbiSpikeThreshold;
        a["generator"] = $"FunctionalVae Vae.Simulation {typeof(FeatureTableWriter).Assembly.GetName().Version}";
        return file;
    }

    /// <summary>The CSV's first line.</summary>
    internal static string CsvHeader(IReadOnlyList<string> columns) => string.Join(',', IdentityColumns.Concat(columns)) + "\n";

    /// <summary>Appends the CSV line of row <paramref name="i"/>, whose features are <paramref name="features"/>.</summary>
    internal static void AppendCsvRow(StringBuilder text, int i, FeatureFilesHeader header, ReadOnlySpan<double> features)
    {
        static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(header.IsTrain[i] ? '0' : '1')
            .Append(',').Append(Number(header.GK[i])).Append(',').Append(Number(header.GNa[i]));
        foreach (double x in features)
            text.Append(',').Append(Number(x));
        text.Append('\n');
    }
}
