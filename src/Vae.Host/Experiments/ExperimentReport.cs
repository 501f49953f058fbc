using System.Globalization;
using Vae.Runs.Data;
using Vae.Runs.Persistence;
using Vae.Reports.Html;
using Vae.Model;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Traces;
using Vae.Runs.Training;
using Vae.Runs.Experiments;
using Vae.Runs.Settings;
using Vae.Runs.Metrics;

namespace Vae.Host.Experiments;

/// <summary>
/// The experiment's figures (PNG in <c>figures/</c>) and <c>report.html</c>: the results table, what the latent
/// spaces learned (<see cref="AnalysisSection"/>), the study's
/// Figure 2.6 (HH dynamics), 3.1 (binarized MNIST), 3.2 (the schedule), loss curves per model and latent size
/// (4.1) and per beta (4.5), trade-offs against beta (4.3) and latent size (A.2), then the multi-panel figures
/// drawn from the trained models (<see cref="ExperimentGrids"/>). Figures whose runs are missing are left out.
/// </summary>
public static class ExperimentReport
{
    // The test terms of Figure 4.1, each with its name in the paper.
    private static readonly (Func<EpochMetrics, double> Value, string What)[] TestTerms =
        [(m => m.Test.Loss, "ELBO"), (m => m.Test.Recon, "BCE"), (m => m.Test.Kl, "KLD")];

    /// <summary>
    /// Analyzes the finished runs that have no analysis yet (one line each to <paramref name="log"/>), writes the
    /// experiment's tables (<see cref="ResultsTable.Write"/>), every figure that the runs allow, and the report.
    /// Callers hold the experiment's shared-files lock.
    /// </summary>
    public static void Write(
        ExperimentFolder folder, IReadOnlyList<SweepEntry> all, string dataRoot, string? mnistDir, int threads, Action<string> log)
    {
        var root = folder.Root;
        using var runs = new FinishedRuns(root, dataRoot, mnistDir, threads);
        runs.AnalyzeMissing(all, log);
        ResultsTable.Write(folder, all);

        var report = new HtmlReport("FunctionalVae: the study's experiments");
        var sink = new FigureSink(folder.FigureDir, report);
        void Figure(string file, ChartSpec spec, string caption) => sink.Chart(file, spec, caption);

        var rows = ResultsTable.Collect(root, all);
        report.Heading("Results").Table(ResultsTable.Header, rows.Select(r => (IReadOnlyList<string>)ResultsTable.Cells(r)));
        AnalysisSection.Write(report, sink, AnalysisTable.Collect(folder, all));

        sink.Heading("Figure 2.6: Hodgkin-Huxley dynamics under a 10 uA/cm2 step (10-50 ms)");
        var cell = FullStateTrace.Simulate(HhProtocol.Figure26, new Conductances(36, 120), SolverOptions.Default);
        Figure("fig2.6-voltage.png", new ChartSpec("Membrane potential", "t (ms)", "V (mV)", [new Series("V", cell.Time, cell.V)]),
            "V over 60 ms, dt 0.025 ms.");
        Figure("fig2.6-gates.png", new ChartSpec("Gating variables", "t (ms)", "open fraction",
            [new Series("n", cell.Time, cell.N), new Series("m", cell.Time, cell.M), new Series("h", cell.Time, cell.H)]), "n, m and h.");
        Figure("fig2.6-current.png", new ChartSpec("Stimulus", "t (ms)", "I (uA/cm2)", [new Series("I", cell.Time, cell.Current)]),
            "The injected current.");

        var mnist = Path.Combine(dataRoot, "mnist");
        if (MnistFetcher.Standard(_ => { }).Missing(mnist).Count == 0)
        {
            var data = MnistDataset.Load(mnist, [0, 1, 2, 3], 128);
            var png = PngFigures.Tiles(new ImageTiles("Binarized MNIST 0-3", data.Train.Pixels[..(32 * data.Train.Size)], data.Train.Rows,
                data.Train.Cols, 8));
            sink.Heading("Figure 3.1: binarized MNIST digits 0-3");
            sink.Image("fig3.1-mnist.png", png, "The first 32 training images, pixel >= 128.");
        }

        sink.Heading("Figure 3.2: the cosine learning-rate schedule");
        var steps = 386L * 50;
        var schedule = Schedule.Study(steps);
        var t = Enumerable.Range(0, 201).Select(i => i * steps / 200.0).ToArray();
        Figure("fig3.2-schedule.png",
            new ChartSpec($"Cosine decay, I = {Schedule.StudyInitial:0e0}, alpha = {Schedule.StudyAlpha}, p = {Schedule.StudyExponent}",
                "step", "learning rate", [new Series("lr", t, t.Select(s => schedule.At((long)s)).ToArray())]),
            "386 batches x 50 epochs.");

        MetricsTable? Metrics(SweepEntry e)
        {
            var p = RunFolder.At(Path.Combine(root, e.Name)).MetricsPath;
            return File.Exists(p) ? MetricsTable.Parse(File.ReadAllText(p)) : null;
        }
        void Curves(string file, string title, Func<EpochMetrics, double> value, IEnumerable<SweepEntry> entries, Func<SweepEntry, string> label,
            string yLabel)
        {
            var series = entries.Select(e => (e, m: Metrics(e))).Where(x => x.m is not null)
                .Select(x => new Series(label(x.e), x.m!.Series(m => m.Epoch), x.m!.Series(value))).ToList();
            if (series.Count > 0)
                Figure(file, new ChartSpec(title, "epoch", yLabel, series, LogY: true), $"{title} (test set, log scale).");
        }

        sink.Heading("Figure 4.1: MNIST test loss per model and latent size");
        foreach (var model in ModelFamily.Study)
        {
            var entries = all.Where(e => e.Sweep == "mnist-latent" && e.Config.Model == model).ToList();
            foreach (var (value, what) in TestTerms)
                Curves($"fig4.1-{model}-{what.ToLowerInvariant()}.png", $"{model.Label}-VAE {what}", value, entries, e => $"z = {e.Config.LatentDim}",
                    $"{what} (nats)");
        }

        sink.Heading("Figure 4.3: reconstruction and KL against beta (MNIST Conv-VAE, z = 20)");
        var betaRuns = all.Where(e => e.Sweep == "mnist-beta" || e.Name == "mnist-conv-z20-beta1").OrderBy(e => e.Config.Beta).ToList();
        TradeOff("fig4.3-beta.png", "Final test terms against beta", "beta", betaRuns, e => e.Config.Beta, "BCE");

        sink.Heading("Figure 4.5: HH test loss per beta and latent size (Conv-VAE)");
        foreach (var beta in new[] { 0.5, 1, 2 })
            Curves($"fig4.5-beta{beta.ToString(CultureInfo.InvariantCulture)}.png",
                $"HH Conv-VAE, beta {beta.ToString(CultureInfo.InvariantCulture)}: test loss",
                m => m.Test.Loss, all.Where(e => e.Sweep == "hh-conv" && e.Config.Beta == beta), e => $"z = {e.Config.LatentDim}", "negative ELBO");

        sink.Heading("Figure A.2: reconstruction and KL against latent size (HH Conv-VAE, beta = 1)");
        TradeOff("figA.2-latent.png", "Final test terms against latent size", "latent dimensions",
            all.Where(e => e.Sweep == "hh-conv" && e.Config.Beta == 1).OrderBy(e => e.Config.LatentDim).ToList(), e => e.Config.LatentDim,
            "MSE (SSE per trace)");

        ExperimentGrids.Write(all, runs, sink);
        report.Save(folder.ReportPath);

        void TradeOff(string file, string title, string xLabel, List<SweepEntry> entries, Func<SweepEntry, double> x, string reconName)
        {
            var done = entries.Select(e => (e, m: Metrics(e))).Where(p => p.m is not null).ToList();
            if (done.Count == 0)
                return;
            var xs = done.Select(p => x(p.e)).ToArray();
            Figure(file, new ChartSpec(title, xLabel, "nats / SSE",
                [new Series(reconName, xs, done.Select(p => p.m!.Epochs[^1].Test.Recon).ToArray()),
                 new Series("KLD", xs, done.Select(p => p.m!.Epochs[^1].Test.Kl).ToArray())], Markers: true),
                $"{title}: final test reconstruction and KL.");
        }
    }
}
