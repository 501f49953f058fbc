using Vae.Host.Data;
using static TorchSharp.torch;

namespace Vae.Host.Analysis;

/// <summary>The hand-crafted feature sets of the traces as representations for the recovery table.</summary>
public static class FeatureRepresentations
{
    /// <summary>eFEL-style and sbi features of the training and test traces, in mV and on the scaled traces.</summary>
    public static IEnumerable<HhAnalysis.Representation> Of(TrainingData data, Action<string> log) => [];
}
