namespace Vae.Runs.Analysis;

/// <summary>How much of the analysis to run.</summary>
/// <param name="IwaeSamples">Importance samples per test example of the likelihood bound (MNIST; HH with a proper likelihood).</param>
/// <param name="Iwae">Whether to compute the bound at all (MNIST, and HH runs whose likelihood is a density).</param>
/// <param name="Posterior">
/// How the posterior of the conductances given each representation is estimated and checked (HH runs); null for none.
/// </param>
/// <param name="EmbeddingReference">
/// Whether the information table gets its upper reference (HH runs): an embedding network on the traces in mV trained
/// with a spline flow (minutes, not seconds, so only when asked).
/// </param>
public sealed record AnalysisOptions(int IwaeSamples, bool Iwae = true, Inference.PosteriorSettings? Posterior = null,
    bool EmbeddingReference = false)
{
    /// <summary>K of <c>analyze</c>: 5,000, as Burda et al. (2016) and pythae's get_nll.</summary>
    public const int DefaultIwaeSamples = 5000;
    /// <summary>K of the analysis at the end of training: 100, to keep training's tail short.</summary>
    public const int TrainingIwaeSamples = 100;

    /// <summary>The analysis of the <c>analyze</c> command.</summary>
    public static AnalysisOptions Full => new(DefaultIwaeSamples, Posterior: PosteriorAnalysis.Settings);
    /// <summary>The cheaper analysis that training runs at its end (the same posteriors: they are the information table).</summary>
    public static AnalysisOptions EndOfTraining => new(TrainingIwaeSamples, Posterior: PosteriorAnalysis.Settings);
}
