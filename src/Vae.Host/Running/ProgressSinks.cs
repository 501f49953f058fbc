using Vae.Runs.Training;
using Spectre.Console;
using Vae.Runs.Metrics;

namespace Vae.Host.Running;

/// <summary>The one-line summary of an epoch, as every progress display prints it.</summary>
public static class EpochSummary
{
    /// <summary>Epoch, train and test loss, test terms, learning rate, seconds and step-time percentiles of an epoch's metrics.</summary>
    public static string Of(int epoch, int epochs, EpochMetrics m) =>
        $"epoch {epoch}/{epochs}: train loss {m.Train.Loss:G6}, test loss {m.Test.Loss:G6} "
        + $"(recon {m.Test.Recon:G6}, KL {m.Test.Kl:G4}), lr {m.LearningRate:G3}, {m.Seconds:F1} s"
        + (m.StepTimes is { } steps ? $"; {Of(steps)}" : "");

    /// <summary>"steps p10/p50/p90/max 41/45/52/80 ms".</summary>
    public static string Of(StepTimePercentiles steps) =>
        $"steps p10/p50/p90/max {steps.P10Ms:F0}/{steps.P50Ms:F0}/{steps.P90Ms:F0}/{steps.MaxMs:F0} ms";
}

/// <summary>Plain progress for redirected output (logs, CI): one summary line per epoch.</summary>
public sealed class EpochLines(TextWriter output) : IProgressSink
{
    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int batches) { }
    /// <inheritdoc/>
    public void BatchDone(int batch, double loss) { }
    /// <inheritdoc/>
    public void EpochDone(int epoch, int epochs, EpochMetrics metrics) => output.WriteLine(EpochSummary.Of(epoch, epochs, metrics));
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
    public void EpochDone(int epoch, int epochs, EpochMetrics metrics)
    {
        _task?.StopTask();
        // Written through AnsiConsole so that the live display redraws below the line instead of over it.
        AnsiConsole.WriteLine(EpochSummary.Of(epoch, epochs, metrics));
    }
}
