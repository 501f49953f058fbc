namespace Vae.Runs;

/// <summary>
/// What the user can do about a problem, as data: the library says it in its own words (<see cref="Describe"/>),
/// and a front end may say it in its own (the command line names its options). One case per kind of action.
/// </summary>
public abstract record Remedy
{
    private Remedy() { }

    /// <summary>The remedy in the library's words, e.g. <c>continue the run in runs/a</c>.</summary>
    public abstract string Describe();

    /// <summary>Continue the run in <paramref name="Folder"/> from its last checkpoint.</summary>
    public sealed record ResumeRun(string Folder) : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => $"continue the run in {Folder}";
    }

    /// <summary>Start the run in <paramref name="Folder"/> again, replacing what it holds.</summary>
    public sealed record ReplaceRun(string Folder) : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => $"start the run in {Folder} again, replacing it";
    }

    /// <summary>Write the run into another folder.</summary>
    public sealed record OtherRunFolder : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => "choose another run folder";
    }

    /// <summary>Write the experiment into another folder.</summary>
    public sealed record OtherExperimentFolder : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => "choose another experiment folder";
    }

    /// <summary>Train the run in <paramref name="Folder"/> (or continue it) before using its model.</summary>
    public sealed record TrainFirst(string Folder) : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => $"train or continue the run in {Folder} first";
    }

    /// <summary>
    /// Another value of a training setting, named as config.json names it (<paramref name="Setting"/>, e.g.
    /// <c>batchSize</c>); <paramref name="Change"/> says which, e.g. <c>a smaller</c>.
    /// </summary>
    public sealed record ChangeSetting(string Setting, string Change) : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => $"try {Change} {Setting}";
    }

    /// <summary>Give the folder that holds the MNIST files, or copy them to <paramref name="Cache"/>.</summary>
    public sealed record GiveMnistFolder(string Cache) : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => $"give the folder that holds them as the MNIST folder (or copy them to {Cache})";
    }

    /// <summary>Write the output into another (new or empty) folder.</summary>
    public sealed record OtherOutputFolder : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => "choose another output folder";
    }

    /// <summary>Continue the unfinished fit of the estimator in <paramref name="Folder"/>.</summary>
    public sealed record ResumeFit(string Folder) : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => $"continue the fit in {Folder}";
    }

    /// <summary>Start a new fit instead of resuming one.</summary>
    public sealed record StartFit : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => "start a new fit instead of resuming";
    }

    /// <summary>Name one of the <paramref name="Count"/> traces of a dataset file (0-based), or none for a file of one.</summary>
    public sealed record ChooseTrace(int Count) : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => Count > 1 ? $"choose one of its traces, 0 .. {Count - 1}" : "name no trace: the file holds one";
    }

    /// <summary>Anything that is the same in every front end, said as <paramref name="Words"/>.</summary>
    public sealed record Act(string Words) : Remedy
    {
        /// <inheritdoc/>
        public override string Describe() => Words;
    }
}

/// <summary>A problem stated in the library's words, with what can be done about it.</summary>
public interface IRemediedProblem
{
    /// <summary>What is wrong, without what to do.</summary>
    string Problem { get; }

    /// <summary>What can be done, first the most likely.</summary>
    IReadOnlyList<Remedy> Remedies { get; }
}

/// <summary>The one wording of a problem and its remedies as one line.</summary>
public static class ProblemText
{
    /// <summary><c>problem; remedy, or remedy</c>, each remedy said by <paramref name="say"/>.</summary>
    public static string Line(string problem, IReadOnlyList<Remedy> remedies, Func<Remedy, string> say) =>
        remedies.Count == 0 ? problem : $"{problem}; {string.Join(", or ", remedies.Select(say))}.";
}
