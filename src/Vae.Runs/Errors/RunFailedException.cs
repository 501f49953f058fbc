namespace Vae.Runs;

/// <summary>
/// A run that failed for a reason other than its input (a diverging loss, a diverging benchmark): what happened and
/// what was kept, and what to try. The command line prints it as one line and exits with 1.
/// </summary>
public class RunFailedException(string problem, params Remedy[] remedies)
    : Exception(ProblemText.Line(problem, remedies, r => r.Describe())), IRemediedProblem
{
    /// <inheritdoc/>
    public string Problem { get; } = problem;

    /// <inheritdoc/>
    public IReadOnlyList<Remedy> Remedies { get; } = remedies;
}
