namespace Vae.Runs;

/// <summary>
/// A command stopped at a safe point because it was interrupted (Ctrl+C, SIGTERM): what was kept, and how to
/// continue. The command line prints it as one line and exits with 130.
/// </summary>
public sealed class RunInterruptedException(string problem, params Remedy[] remedies)
    : OperationCanceledException(ProblemText.Line(problem, remedies, r => r.Describe())), IRemediedProblem
{
    /// <inheritdoc/>
    public string Problem { get; } = problem;

    /// <inheritdoc/>
    public IReadOnlyList<Remedy> Remedies { get; } = remedies;
}
