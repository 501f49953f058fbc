using System.Globalization;
using Vae.Simulation.Protocols;
using Vae.Simulation.Storage;

namespace Vae.Runs.Inference;

/// <summary>
/// A recorded trace to infer conductances from: in mV on a protocol's time grid (<see cref="HhProtocol.SampleCount"/>
/// samples every <see cref="HhProtocol.OutputDtMs"/> ms from the start of recording). Read from a CSV (a <c>V_mV</c>
/// column, with or without <c>t_ms</c>, as <c>simulate trace</c> writes; or one column of numbers without a header) or
/// from a dataset file of <c>simulate</c> (one of its traces). Anything else is a <see cref="UserInputException"/>.
/// </summary>
/// <param name="Source">Where it came from, e.g. <c>obs.csv</c> or <c>data.h5 trace 3</c>.</param>
/// <param name="Millivolts">The samples (mV).</param>
/// <param name="Truth">The parameters that made it, when it comes from a dataset file (gK, gNa), else null.</param>
public sealed record Observation(string Source, double[] Millivolts, double[]? Truth = null)
{
    /// <summary>Voltages beyond these (mV) are no membrane potential: another unit, or not a voltage.</summary>
    public const double LowestMv = -200, HighestMv = 150;

    /// <summary>
    /// Reads <paramref name="path"/> (<c>.h5</c>/<c>.hdf5</c>: trace <paramref name="trace"/> of a dataset file, needed when it holds
    /// more than one; anything else: CSV) and checks it against <paramref name="protocol"/>'s grid and the mV range.
    /// </summary>
    public static Observation Read(string path, HhProtocol protocol, int? trace = null)
    {
        if (!File.Exists(path))
            throw new UserInputException($"observation '{path}' does not exist",
                new Remedy.Act("give a CSV of V_mV or a dataset file of `simulate`"));
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var (source, mv, time, truth) = ext is ".h5" or ".hdf5" ? FromDataset(path, trace) : FromCsv(path);
        if (trace is not null && ext is not (".h5" or ".hdf5"))
            throw new UserInputException($"a trace index picks a trace of a dataset file; '{path}' is a CSV of one trace",
                new Remedy.ChooseTrace(1));
        var observation = new Observation(source, mv, truth);
        observation.Check(protocol, time);
        return observation;
    }

    // Same grid as the protocol, finite, and in mV (a trace in [0, 1] or in volts is refused, not misread).
    private void Check(HhProtocol protocol, double[]? time)
    {
        int n = protocol.SampleCount;
        var grid = $"protocol '{protocol.Name}' records {n} samples every {protocol.OutputDtMs} ms ({protocol.RecordingMs} ms)";
        if (Millivolts.Length != n)
            throw new UserInputException($"{Source} has {Millivolts.Length} samples but {grid}",
                new Remedy.Act("resample or cut the trace to that grid, from the start of recording"));
        if (time is not null)
            for (var k = 0; k < n; k++)
                if (Math.Abs(time[k] - k * protocol.OutputDtMs) > 1e-6 * Math.Max(1, protocol.RecordingMs))
                    throw new UserInputException($"{Source} has sample {k} at {time[k]} ms, not {k * protocol.OutputDtMs} ms: {grid}",
                        new Remedy.Act("resample the trace to that grid, with time 0 at the start of recording"));
        var bad = Array.FindIndex(Millivolts, v => !double.IsFinite(v));
        if (bad >= 0)
            throw new UserInputException($"{Source} has a non-finite value ({Millivolts[bad]}) at sample {bad}",
                new Remedy.Act("give a complete trace without NaN or infinity"));
        var (lo, hi) = (Millivolts.Min(), Millivolts.Max());
        if (lo >= -1 && hi <= 1)
            throw new UserInputException($"{Source} lies within [-1, 1] ({lo:G4} .. {hi:G4}): that is a scaled trace or volts, not mV",
                new Remedy.Act("give the membrane potential in mV"));
        if (lo < LowestMv || hi > HighestMv)
            throw new UserInputException(
                $"{Source} reaches {(lo < LowestMv ? lo : hi):G4}, outside {LowestMv} .. {HighestMv} mV: not a membrane potential in mV",
                new Remedy.Act("give the membrane potential in mV"));
    }

    /// <summary>
    /// The observation as traces to compute a representation of: stored scaled to [0, 1] by its own range, as datasets store traces.
    /// </summary>
    public Vae.Simulation.Features.FeatureTraces AsTraces(HhProtocol protocol)
    {
        var (min, max) = Vae.Simulation.Traces.TraceScaling.Range(Millivolts);
        var scaled = new float[Millivolts.Length];
        Vae.Simulation.Traces.TraceScaling.Scale(Millivolts, min, max, scaled);
        return new(scaled, 1, Millivolts.Length, [min], [max], protocol.TimeAxis(), Vae.Simulation.Features.StimulusWindow.Of(protocol), [true]);
    }

    private static (string, double[], double[]?, double[]?) FromDataset(string path, int? trace)
    {
        HhStreamedFile file;
        try
        {
            file = HhStreamedFile.Open(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new UserInputException($"observation '{path}' is not a dataset file of `simulate`: {e.Message}");
        }
        using (file)
        {
            if (trace is null && file.Count > 1)
                throw new UserInputException($"{path} holds {file.Count} traces", new Remedy.ChooseTrace(file.Count));
            var i = trace ?? 0;
            if (i < 0 || i >= file.Count)
                throw new UserInputException($"trace {i} is not a trace of {path}, which holds {file.Count}",
                    new Remedy.ChooseTrace(file.Count));
            var mv = new double[file.Length];
            file.Millivolts(i, mv);
            return ($"{path} trace {i}", mv, file.Time, [file.Parameters[2 * i], file.Parameters[2 * i + 1]]);
        }
    }

    private static (string, double[], double[]?, double[]?) FromCsv(string path)
    {
        var lines = File.ReadLines(path).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0)
            throw new UserInputException($"observation '{path}' is empty", new Remedy.Act("give a CSV with a V_mV column"));
        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        bool hasHeader = !double.TryParse(header[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        int vColumn = hasHeader ? Array.IndexOf(header, "V_mV") : 0;
        int tColumn = hasHeader ? Array.IndexOf(header, "t_ms") : -1;
        if (hasHeader && vColumn < 0)
            throw new UserInputException($"{path} has no V_mV column (its header: {string.Join(",", header)})",
                new Remedy.Act("name the voltage column V_mV, or give one column of numbers without a header"));
        if (!hasHeader && header.Length != 1)
            throw new UserInputException($"{path} has {header.Length} columns and no header", new Remedy.Act("add a header with V_mV (and t_ms)"));
        var rows = lines.Skip(hasHeader ? 1 : 0).ToArray();
        var (mv, time) = (new double[rows.Length], tColumn >= 0 ? new double[rows.Length] : null);
        for (var r = 0; r < rows.Length; r++)
        {
            var cells = rows[r].Split(',');
            mv[r] = Number(path, r, cells, vColumn);
            if (time is not null)
                time[r] = Number(path, r, cells, tColumn);
        }
        return (path, mv, time, null);
    }

    private static double Number(string path, int row, string[] cells, int column) =>
        column < cells.Length && double.TryParse(cells[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new UserInputException($"{path}: data row {row + 1} has no number in column {column + 1}",
                new Remedy.Act("fix or remove that row"));
}
