using System.CommandLine;
using System.Globalization;
using Vae.Host.Cli;
using Vae.Reports.Inference;
using Vae.Runs;
using Vae.Runs.Data;
using Vae.Runs.Inference;
using Vae.Runs.Persistence;
using Vae.Runs.Settings;
using Vae.Simulation.Storage;

namespace Vae.Host.Commands;

/// <summary>
/// `infer fit &lt;run-or-dataset&gt; --representation R --out DIR`: a posterior estimator of (gK, gNa) given representation
/// R of a trace, fitted on the dataset's training traces and checked on its test traces (diagnostics.json/md, figures).
/// </summary>
public static class InferFitCommand
{
    /// <summary>The `infer fit` command.</summary>
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "A trained HH run folder (its dataset and encoder) or an HH dataset file." };
        var representation = NamedOption.Create<InferenceRepresentation>("--representation",
            "What the estimator conditions on: latent (the run's posterior means; needs a run), efel or sbi (features of the trace in mV), "
            + "embedding (the trace in mV through sbi's CNN embedding network, trained with the estimator).",
            InferenceRepresentation.Latent);
        var estimator = new Option<string>("--estimator")
        {
            Description = "Density estimator: flow (neural spline flow, sbi's nsf) or mdn (mixture density network, sbi's mdn).",
            DefaultValueFactory = _ => "flow",
        };
        estimator.AcceptOnlyFromAmong("flow", "mdn");
        var outDir = new Option<string>("--out")
        {
            Description = "Folder of the estimator (new or empty; with --resume, the fit's).",
            Required = true,
        };
        var seed = NumericOption.WithDefault("--seed", SettingRanges.Seed, 0L, "Seed of the fit, the posterior samples and the bootstrap.");
        var epochs = NumericOption.WithDefault("--max-epochs", SettingRanges.Epochs, 1000,
            "Epochs at most (the fit stops 20 epochs after its best).");
        var resume = new Option<bool>("--resume") { Description = "Continue the unfinished fit in --out." };
        var dataDir = HostOptions.DataDir();
        var threads = HostOptions.Threads();
        var cmd = new Command("fit", "Fit a posterior estimator of gK and gNa on a run's or a dataset's traces (neural posterior estimation).");
        cmd.Arguments.Add(source);
        foreach (var o in new Option[] { representation, estimator, outDir, seed, epochs, resume, dataDir, threads })
            cmd.Options.Add(o);
        cmd.SetCancellableAction((parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            Action<string> log = output.WriteLine;
            var rep = parse.GetValue(representation)!;
            var path = parse.GetValue(source)!;
            var threadCount = Vae.Model.NativeSetup.configure(HostOptions.ThreadsValue(parse, threads));
            var isRun = Directory.Exists(path);
            if (!isRun && rep.NeedsRun)
                throw new UserInputException($"{path} is not a run folder: the {rep} representation needs a trained run's encoder",
                    new Remedy.Act("give a run folder, or --representation efel, sbi or embedding for a dataset file"));
            TrainingData? data = null;
            HhStreamedFile? file = null;
            try
            {
                LatentMap? latent = null;
                HhDatasetFile hh;
                string? run = null;
                if (isRun)
                {
                    var folder = RunFolder.Open(path);
                    var cfg = RunManifest.Read(folder);
                    if (cfg.Dataset != Dataset.Hh)
                        throw new UserInputException($"run {folder.Root} was trained on MNIST; posteriors of conductances need an HH run");
                    data = TrainingData.Load(cfg, DataDirs.Resolve(parse.GetValue(dataDir)), null, threadCount, log,
                        recorded: RunManifest.ReadData(folder));
                    var traces = (HhTraces)data;
                    hh = traces.File;
                    run = folder.Root;
                    if (rep.NeedsRun)
                        latent = new LatentMap(RunArgument.Model(cfg, folder, data.Kind, data.Features), traces.Map);
                }
                else
                    hh = file = HhStreamedFile.Open(path);
                var request = new EstimatorRecord
                {
                    Representation = rep,
                    Estimator = parse.GetValue(estimator)!,
                    Seed = (ulong)parse.GetValue(seed),
                    MaxEpochs = parse.GetValue(epochs),
                    Run = run,
                    Data = Path.GetFullPath(hh.Path),
                    ContentHash = hh.ContentHash,
                    Protocol = hh.Protocol,
                    Noise = hh.Noise,
                    Prior = [.. Vae.Runs.Analysis.PosteriorAnalysis.Prior(hh.Protocol).Select(b => new[] { b.Low, b.High })],
                    Width = 0,
                    TrainPairs = 0,
                    TestPairs = 0,
                };
                var target = new EstimatorFolder(parse.GetValue(outDir)!);
                log($"fitting a {request.Estimator} posterior of gK, gNa given {rep} of {hh.Path} into {target.Root}");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var result = InferFit.Run(target, request, hh, latent, parse.GetValue(resume), log,
                    posterior => InferenceDiagnostics.Write(target, posterior), cancel);
                var r = result.Row;
                output.WriteLine($"{r.Nats.Estimate:F2} nats about (gK, gNa) (95 % CI {r.Nats.Low:F2} .. {r.Nats.High:F2}); posterior std "
                    + $"gK {r.PosteriorStd[0]:G3}, gNa {r.PosteriorStd[1]:G3} mS/cm2; SBC p {r.SbcP[0]:F2}, {r.SbcP[1]:F2}; coverage 50/80/95 % "
                    + $"{string.Join(" / ", r.Coverage.Select(c => (100 * c).ToString("F1", CultureInfo.InvariantCulture)))}; "
                    + $"{r.Epochs} epochs in {clock.Elapsed.TotalSeconds:F1} s");
                output.WriteLine($"wrote {target.Root}");
                return ExitCodes.Ok;
            }
            finally
            {
                data?.Dispose();
                file?.Dispose();
            }
        });
        return cmd;
    }
}
