using System.Diagnostics;
using Vae.Host.Persistence;

namespace Vae.Host.Training;

/// <summary>
/// Progress on a terminal: one line rewritten in place with a bar, the loss and the ETA, then a summary line
/// per epoch. When output is redirected (logs, CI) only the per-epoch lines are written.
/// </summary>
public sealed class ConsoleProgress(TextWriter output, bool interactive) : IProgressSink
{
    private readonly Stopwatch _clock = new();
    private int _batches;
    private int _epoch;
    private int _epochs;

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int batches)
    {
        (_epoch, _epochs, _batches) = (epoch, epochs, batches);
        _clock.Restart();
    }

    /// <inheritdoc/>
    public void BatchDone(int batch, double loss)
    {
        if (!interactive || (batch % 5 != 0 && batch != _batches))
            return;
        const int width = 30;
        var filled = width * batch / _batches;
        var eta = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / batch * (_batches - batch));
        output.Write($"\repoch {_epoch}/{_epochs} [{new string('=', filled)}{new string(' ', width - filled)}] {batch}/{_batches} loss {loss:G5} ETA {eta:mm\\:ss}   ");
    }

    /// <inheritdoc/>
    public void EpochDone(int epoch, int epochs, IReadOnlyDictionary<string, double> row)
    {
        if (interactive)
            output.Write("\r" + new string(' ', 90) + "\r");
        output.WriteLine($"epoch {epoch}/{epochs}: train loss {row[MetricsRow.TrainLoss]:G6}, test loss {row[MetricsRow.TestLoss]:G6} "
                         + $"(recon {row[MetricsRow.TestRecon]:G6}, KL {row[MetricsRow.TestKl]:G4}), lr {row[MetricsRow.LearningRate]:G3}, {row[MetricsRow.Seconds]:F1} s"
                         + (EpochStepTimes.Describe(row) is string steps ? $"; {steps}" : ""));
    }
}

/// <summary>No progress output (--quiet).</summary>
public sealed class SilentProgress : IProgressSink
{
    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int batches) { }
    /// <inheritdoc/>
    public void BatchDone(int batch, double loss) { }
    /// <inheritdoc/>
    public void EpochDone(int epoch, int epochs, IReadOnlyDictionary<string, double> row) { }
}
