using Vae.Runs.Training;
using Spectre.Console;
using Vae.Runs.Persistence;

namespace Vae.Host.Running;

/// <summary>The one-line summary of an epoch, as every progress display prints it.</summary>
public static class EpochSummary
{
    /// <summary>Epoch, train and test loss, test terms, learning rate, seconds and step-time percentiles of a progress row.</summary>
    public static string Of(int epoch, int epochs, IReadOnlyDictionary<string, double> row) =>
        $"epoch {epoch}/{epochs}: train loss {row[MetricsRow.TrainLoss]:G6}, test loss {row[MetricsRow.TestLoss]:G6} "
        + $"(recon {row[MetricsRow.TestRecon]:G6}, KL {row[MetricsRow.TestKl]:G4}), lr {row[MetricsRow.LearningRate]:G3}, {row[MetricsRow.Seconds]:F1} s"
        + (EpochStepTimes.Describe(row) is string steps ? $"; {steps}" : "");
}

/// <summary>Plain progress for redirected output (logs, CI): one summary line per epoch.</summary>
public sealed class EpochLines(TextWriter output) : IProgressSink
{
    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int batches) { }
    /// <inheritdoc/>
    public void BatchDone(int batch, double loss) { }
    /// <inheritdoc/>
    public void EpochDone(int epoch, int epochs, IReadOnlyDictionary<string, double> row) => output.WriteLine(EpochSummary.Of(epoch, epochs, row));
}

/// <summary>
/// Progress on a terminal through Spectre.Console, as <c>simulate</c> shows it: a bar per epoch with the latest
/// batch loss and the time left, and the epoch's summary line printed above the bar when it ends.
/// </summary>
public sealed class TerminalProgress : IProgressSink
{
    private readonly ProgressContext _context;
    private ProgressTask? _task;
    private string _label = "";

    private TerminalProgress(ProgressContext context) => _context = context;

    /// <summary>Runs <paramref name="work"/> with a terminal progress display that is cleared when it returns.</summary>
    public static T Run<T>(Func<IProgressSink, T> work)
    {
        var result = default(T)!;
        AnsiConsole.Progress().AutoClear(true).HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context => result = work(new TerminalProgress(context)));
        return result;
    }

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int batches)
    {
        _label = $"epoch {epoch}/{epochs}";
        _task = _context.AddTask(_label, maxValue: batches);
    }

    /// <inheritdoc/>
    public void BatchDone(int batch, double loss)
    {
        if (_task is null)
            return;
        _task.Value = batch;
        _task.Description = $"{_label} loss {loss:G5}";
    }

    /// <inheritdoc/>
    public void EpochDone(int epoch, int epochs, IReadOnlyDictionary<string, double> row)
    {
        _task?.StopTask();
        // Written through AnsiConsole so that the live display redraws below the line instead of over it.
        AnsiConsole.WriteLine(EpochSummary.Of(epoch, epochs, row));
    }
}
