namespace Vae.Runs;

/// <summary>
/// A problem with what the user asked for or gave (a setting, a folder, a damaged file): the problem in the
/// library's words and what to do. The command line prints it as one line, its remedies in its own options, without
/// a stack trace, and exits with 2.
/// </summary>
public sealed class UserInputException(string problem, params Remedy[] remedies)
    : Exception(ProblemText.Line(problem, remedies, r => r.Describe())), IRemediedProblem
{
    /// <inheritdoc/>
    public string Problem { get; } = problem;

    /// <inheritdoc/>
    public IReadOnlyList<Remedy> Remedies { get; } = remedies;
}
