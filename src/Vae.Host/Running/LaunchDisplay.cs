using Vae.Reports;
using Vae.Reports.Figures;
using Vae.Runs.Tracking;
using Vae.Runs.Training;

namespace Vae.Host.Running;

/// <summary>How the command line shows a launched run: its log lines and progress, and what follows its end.</summary>
public static class LaunchDisplay
{
    /// <summary>
    /// <paramref name="options"/> writing to <paramref name="output"/> (nothing when <paramref name="quiet"/>): a live
    /// display on a terminal, epoch lines otherwise, and TensorBoard event files into <paramref name="tensorBoard"/>
    /// when it is given (quiet or not); a finished run is analyzed (unless <paramref name="analyze"/> is false) and rendered.
    /// </summary>
    public static LaunchOptions On(LaunchOptions options, TextWriter output, bool quiet, bool analyze, string? tensorBoard = null)
    {
        Func<Func<IProgressSink, RunResult>, RunResult> console = quiet ? train => train(new SilentProgress())
            : Cli.Terminal.IsInteractive(output) ? TerminalProgress.Run : train => train(new EpochLines(output));
        return options with
        {
            Log = quiet ? Ignore : output.WriteLine,
            WithProgress = tensorBoard is null ? console
                : train => console(sink => train(new CompositeProgress(sink,
                    new TensorBoardProgress(tensorBoard) { Reconstructions = EpochReconstructions.Png }))),
            Finish = RunRendering.Finish(analyze),
        };
    }

    private static void Ignore(string line) { }
}
