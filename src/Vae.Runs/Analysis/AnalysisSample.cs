using Vae.Runs.Data;
using Vae.Simulation.Storage;
using static TorchSharp.torch;

namespace Vae.Runs.Analysis;

/// <summary>
/// The HH traces the analysis uses: every trace while each split is within its cap, else a seeded subsample of at most
/// <see cref="MaxTrain"/> training and <see cref="MaxTest"/> test traces (drawn without replacement, kept in file order),
/// read from the run's file as the analysis asks for them (<see cref="HhFileSelection"/>). The caps are the splits of the
/// main command's 10,000 traces: k-NN (pairwise distances) and the information measures then cost what they cost there,
/// however large the file. The run's own scaling map applies.
/// </summary>
public static class AnalysisSample
{
    /// <summary>Training traces the analysis uses at most.</summary>
    public const int MaxTrain = 8_000;
    /// <summary>Test traces the analysis uses at most.</summary>
    public const int MaxTest = 2_000;

    /// <summary>Whether <paramref name="data"/> is analyzed as it is: both splits within the caps.</summary>
    public static bool Whole(HhTraces data) => data.Train.Count <= MaxTrain && data.Test.Count <= MaxTest;

    /// <summary>
    /// The traces of <paramref name="data"/> that the analysis of a run with master seed <paramref name="seed"/> uses,
    /// as new data over the same file that the caller disposes before <paramref name="data"/> (call only when not <see cref="Whole"/>).
    /// </summary>
    public static HhTraces Of(long seed, HhTraces data)
    {
        var file = data.File;
        var train = Draw(file.TrainIndices, MaxTrain, RunAnalysis.SeedFor(seed, 5));
        var test = Draw(file.TestIndices, MaxTest, RunAnalysis.SeedFor(seed, 6));
        // A view of the sampled rows: their traces are read from the run's file when the analysis asks for them.
        var sample = new HhFileSelection(file, [.. train, .. test]);
        // The run's map as recorded, never one refitted on the sample; no content to match.
        var scaling = data.Map is null ? Settings.ScalingMode.Trace : Settings.ScalingMode.Dataset;
        var input = HhModelInput.For(new Settings.TrainConfig { Scaling = scaling }, sample, new RecordedData(null, data.Map));
        return new HhTraces(input, $"{data.Identity}; analysis on a seeded sample of {train.Length} training and {test.Length} test traces",
            DataResidence.Stream);
    }

    /// <summary>Words for the analysis' notes: which traces it used.</summary>
    public static string Note(HhTraces full, HhTraces used) => Whole(full) ? "" :
        $"The analysis uses a seeded sample of {used.Train.Count} of the {full.Train.Count} training and {used.Test.Count} of the "
        + $"{full.Test.Count} test traces (at most {MaxTrain} and {MaxTest}), drawn without replacement and kept in file order.";

    // At most `cap` of `indices`, drawn without replacement by a seeded permutation, in file order.
    private static int[] Draw(int[] indices, int cap, ulong seed)
    {
        if (indices.Length <= cap)
            return indices;
        using var gen = new Generator(seed);
        using var perm = randperm(indices.Length, generator: gen);
        return perm.narrow(0, 0, cap).data<long>().Select(k => indices[k]).Order().ToArray();
    }
}
