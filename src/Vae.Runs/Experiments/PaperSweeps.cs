using System.Globalization;
using Vae.Runs.Training;
using Vae.Runs.Settings;

namespace Vae.Runs.Experiments;

/// <summary>One configuration of an experiment: its sweep, a folder name unique in the experiment, and its config.</summary>
public sealed record SweepEntry(string Sweep, string Name, TrainConfig Config);

/// <summary>
/// The sweeps of the original study (docs/science.md section 5), each config with the original's settings
/// (<see cref="TrainConfig.Paper"/>): MNIST latent sizes per model, MNIST beta at z = 20 (Conv), HH Conv beta x
/// latent, HH MLP at z = 2 and 20.
/// </summary>
public static class PaperSweeps
{
    /// <summary>The sweep names, in run order.</summary>
    public static readonly IReadOnlyList<string> Names = ["mnist-latent", "mnist-beta", "hh-conv", "hh-mlp"];

    /// <summary>
    /// Every config. <paramref name="hhData"/> is the HH dataset all HH configs share; <paramref name="epochs"/>
    /// overrides the 100 epochs (a quick version of everything).
    /// </summary>
    public static IReadOnlyList<SweepEntry> All(string hhData, int? epochs)
    {
        var entries = new List<SweepEntry>();
        void Add(string sweep, TrainConfig cfg)
        {
            cfg = cfg with { Epochs = epochs ?? cfg.Epochs };
            var beta = cfg.Beta.ToString(CultureInfo.InvariantCulture);
            entries.Add(new SweepEntry(sweep, $"{cfg.Dataset}-{cfg.Model}-z{cfg.LatentDim}-beta{beta}", cfg));
        }
        var mnist = TrainConfig.Paper(Dataset.Mnist);
        foreach (var model in ModelFamily.Study)
            foreach (var z in new[] { 1, 10, 20, 50, 100 })
                Add("mnist-latent", mnist with { Model = model, LatentDim = z, Beta = 1 });
        foreach (var beta in new[] { 0.1, 0.5, 2, 5, 10 })
            Add("mnist-beta", mnist with { Model = ModelFamily.Conv, LatentDim = 20, Beta = beta });
        var hh = TrainConfig.Paper(Dataset.Hh) with { HhData = hhData };
        foreach (var beta in new[] { 0.5, 1, 2 })
            foreach (var z in new[] { 2, 10, 20 })
                Add("hh-conv", hh with { Model = ModelFamily.Conv, LatentDim = z, Beta = beta });
        foreach (var z in new[] { 2, 20 })
            Add("hh-mlp", hh with { Model = ModelFamily.Mlp, LatentDim = z, Beta = 1 });
        return entries;
    }
}
