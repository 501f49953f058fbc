using Vae.Host.Running;
using Vae.Runs.Settings;
using Vae.Runs;
using System.CommandLine;
using System.Globalization;
using Vae.Host.Cli;
using Vae.Runs.Data;
using Vae.Runs.Persistence;
using Vae.Runs.Training;

namespace Vae.Host.Commands;

/// <summary>
/// The root command: train a VAE and leave a complete run folder (config, metrics, checkpoints, figures,
/// report). Settings are resolved as defaults, then <c>--preset</c>, then the options given explicitly.
/// </summary>
public static class TrainCommand
{
    /// <summary>The root command with the training options.</summary>
    public static RootCommand Create()
    {
        var dataset = NamedOption.Create("--dataset", $"Training data: {Dataset.Hh} (Hodgkin-Huxley traces) or {Dataset.Mnist}.",
            new TrainConfig().Dataset);
        var model = NamedOption.Create("--model",
            $"Encoder/decoder family: {ModelFamily.Mlp}, {ModelFamily.Dnn}, {ModelFamily.Conv} or {ModelFamily.ResConv} "
            + "(residual 1-d convolutions, hh traces only).",
            new TrainConfig().Model);
        var latent = NumericOption.Optional("--latent-dim", SettingRanges.LatentDim, "Size of the latent space (default 2 for hh, 20 for mnist).");
        var beta = NumericOption.WithDefault("--beta", SettingRanges.Beta, 1.0, "Weight of the KL term (beta-VAE); 1 is the plain VAE.");
        var epochs = NumericOption.Optional("--epochs", SettingRanges.Epochs,
            "Training epochs (default 5 for hh, 10 for mnist; 100 with --preset paper).");
        var batch = NumericOption.Optional("--batch-size", SettingRanges.BatchSize,
            "Examples per batch (default 64; the last partial batch of an epoch is dropped).");
        var lr = NumericOption.Optional("--lr", SettingRanges.LearningRate, "Initial learning rate of the cosine schedule (default 1e-3).");
        var wd = NumericOption.Optional("--weight-decay", SettingRanges.WeightDecay,
            "Decoupled weight decay, multiplied by the learning rate (default 1e-4).");
        var seed = NumericOption.Optional("--seed", SettingRanges.Seed, "Master seed of initialization, batch order and sampling (default 0).");
        var threads = HostOptions.Threads();
        var shuffle = new Option<string?>("--shuffle")
        {
            Description = "Batch order: epoch (reshuffle every epoch, default), fixed (one shuffle) or none.",
        };
        shuffle.AcceptOnlyFromAmong("epoch", "fixed", "none");
        var digits = HostOptions.Digits();
        var threshold = HostOptions.Threshold();
        var hhData = new Option<string?>("--hh-data") { Description = "HH dataset (HDF5 from `simulate`); default: generated into the cache." };
        var hhCount = NumericOption.Optional("--hh-count", SettingRanges.TrainingTraces,
            "Traces of the generated HH dataset (default 10000: 8000 train, 2000 test).");
        var hhSeed = NumericOption.Optional("--hh-seed", SettingRanges.Seed, "Seed of the generated HH dataset (default 0).");
        var hhProtocol = NamedOption.Create<HhDataProtocol>("--hh-protocol", "Protocol of the generated HH dataset: "
            + $"{HhDataProtocol.Report} (default) or {HhDataProtocol.SeedCode}.");
        var scaling = NamedOption.Create<ScalingMode>("--scaling", $"HH trace scaling: {ScalingMode.Dataset} (one affine map fitted on the training "
            + $"split, keeps amplitudes; the default) or {ScalingMode.Trace} (each trace to [0, 1] by its own min and max, "
            + "the study's and --preset paper's).");
        var likelihood = NamedOption.Create<DecoderLikelihood>("--likelihood", $"Decoder likelihood: {DecoderLikelihood.Bernoulli} "
            + $"(binary data; MNIST's default), {DecoderLikelihood.SquaredError} (traces' default), {DecoderLikelihood.SquaredErrorDerivative} "
            + $"(plus {DecoderLikelihood.DerivativeWeight:G} x the squared error of consecutive differences), {DecoderLikelihood.Gaussian} "
            + $"or {DecoderLikelihood.Laplace} (one learned noise scale), {DecoderLikelihood.GaussianHeteroscedastic} (a scale per sample, "
            + $">= {DecoderLikelihood.HeteroscedasticFloor:G} in model units). The last three are likelihoods in nats, so traces get the "
            + "importance-weighted NLL; all but bernoulli fit traces and images.");
        var trainNoiseSigma = NumericOption.Optional("--train-noise-sigma", SettingRanges.MeasurementNoise,
            "Measurement noise drawn afresh every epoch: standard deviation (mV) of Gaussian noise added to each training trace in mV "
            + "before the run's scaling, seeded by (--seed, epoch, trace); test traces stay as stored. Default 0: none (hh only).");
        var trainNoiseTau = NumericOption.Optional("--train-noise-tau", SettingRanges.NoiseTau,
            "Correlation time (ms) of that noise, an Ornstein-Uhlenbeck process as simulate's --noise-tau; default 0: white.");
        var outDir = new Option<string?>("--out") { Description = "Run folder (default: runs/<dataset>-<model>-z<latent>-beta<beta>-<time>)." };
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue the run in this folder from its last checkpoint, with its own config.",
        };
        var preset = new Option<string?>("--preset")
        {
            Description = $"{TrainConfig.PaperPreset}: the original study's settings for the dataset (batch, shuffling, 100 epochs).",
        };
        preset.AcceptOnlyFromAmong(TrainConfig.PaperPreset);
        var force = new Option<bool>("--force") { Description = "Replace the run in an existing --out folder." };
        var noAnalysis = new Option<bool>("--no-analysis") { Description = "Skip the latent analysis at the end of training (run `analyze` later)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the final summary." };
        var noTensorBoard = new Option<bool>("--no-tensorboard")
        {
            Description = "Write no TensorBoard event files (the run folder's tensorboard/).",
        };
        var stopAfter = NumericOption.Optional("--stop-after", SettingRanges.Epochs,
            "Pause after this many epochs (checkpoint kept); continue later with --resume.");
        var dataDir = HostOptions.DataDir();
        var mnistDir = HostOptions.MnistDir();

        var root = new RootCommand(
            "FunctionalVae: simulate Hodgkin-Huxley traces and train (beta-)VAEs on them or on binarized MNIST. "
            + "Without a subcommand it trains a VAE and writes a run folder.");
        Option[] settings = [dataset, model, latent, beta, epochs, batch, lr, wd, seed, shuffle, digits, threshold, hhData, hhCount, hhSeed,
            hhProtocol, scaling, likelihood, trainNoiseSigma, trainNoiseTau, preset];
        foreach (var o in settings.Concat<Option>([threads, outDir, resume, force, quiet, noAnalysis, noTensorBoard, stopAfter, dataDir, mnistDir]))
            root.Options.Add(o);

        root.SetCancellableAction((parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            bool Given(Option o) => parse.GetResult(o) is { Implicit: false };
            RunFolder? folder = null;
            string? outPath = null;
            TrainConfig cfg;
            if (parse.GetValue(resume) is { } resumeDir)
            {
                var changed = settings.Concat<Option>([outDir, force]).Where(Given).Select(o => o.Name).ToList();
                if (changed.Count > 0)
                    throw new UserInputException("--resume continues a run in its own folder with its own config; "
                        + $"drop {string.Join(", ", changed)}.");
                folder = RunFolder.Open(resumeDir);
                cfg = RunManifest.Read(folder);
                ResumeCheck.Writable(folder);
            }
            else
            {
                var ds = parse.GetValue(dataset)!;
                var basis = parse.GetValue(preset) == TrainConfig.PaperPreset ? TrainConfig.Paper(ds) : TrainConfig.Defaults(ds);
                cfg = basis with
                {
                    Model = parse.GetValue(model)!,
                    LatentDim = parse.GetValue(latent) ?? basis.LatentDim,
                    Beta = parse.GetValue(beta),
                    Epochs = parse.GetValue(epochs) ?? basis.Epochs,
                    BatchSize = parse.GetValue(batch) ?? basis.BatchSize,
                    LearningRate = parse.GetValue(lr) ?? basis.LearningRate,
                    WeightDecay = parse.GetValue(wd) ?? basis.WeightDecay,
                    Seed = parse.GetValue(seed) ?? basis.Seed,
                    Shuffle = parse.GetValue(shuffle) is { } s ? Enum.Parse<ShuffleMode>(s, ignoreCase: true) : basis.Shuffle,
                    Digits = Given(digits) ? parse.GetValue(digits)! : basis.Digits,
                    Threshold = Given(threshold) ? parse.GetValue(threshold) : basis.Threshold,
                    HhData = parse.GetValue(hhData) is { } h ? ExistingHhData(h) : null,
                    HhCount = parse.GetValue(hhCount) ?? basis.HhCount,
                    HhSeed = parse.GetValue(hhSeed) ?? basis.HhSeed,
                    HhProtocol = parse.GetValue(hhProtocol) ?? basis.HhProtocol,
                    Scaling = parse.GetValue(scaling) ?? basis.Scaling,
                    Likelihood = parse.GetValue(likelihood) ?? basis.Likelihood,
                    TrainNoiseSigmaMv = parse.GetValue(trainNoiseSigma) ?? basis.TrainNoiseSigmaMv,
                    TrainNoiseTauMs = parse.GetValue(trainNoiseTau) ?? basis.TrainNoiseTauMs,
                };
                // Every option parsed within its range; what is left are settings that do not fit the dataset (a model, a
                // likelihood or measurement noise for the other kind of data) or each other, named as their options are.
                if (cfg.FirstProblem() is { } problem)
                    throw new UserInputException($"--{OptionName(problem.Setting)} {problem.Value}: allowed {problem.Allowed}.");
                var name = $"{cfg.Dataset}-{cfg.Model}-z{cfg.LatentDim}-beta{cfg.Beta.ToString(CultureInfo.InvariantCulture)}"
                    + $"-{DateTime.Now:yyyyMMdd-HHmmss}";
                outPath = RunFolder.CheckAvailable(parse.GetValue(outDir) ?? Path.Combine("runs", name), parse.GetValue(force));
            }

            var launch = new LaunchOptions(DataDirs.Resolve(parse.GetValue(dataDir)), parse.GetValue(mnistDir),
                parse.GetValue(threads), parse.GetValue(stopAfter), parse.GetValue(force))
            {
                Cancel = cancel,
            };
            var options = LaunchDisplay.On(launch, output, parse.GetValue(quiet), !parse.GetValue(noAnalysis),
                parse.GetValue(noTensorBoard) ? null : RunFolder.At(folder?.Root ?? outPath!).TensorBoardDir);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var result = RunLauncher.Launch(cfg, folder, outPath, options);
            folder = result.Folder;
            if (!result.Finished)
            {
                output.WriteLine($"paused after epoch {result.Metrics.Epochs.Count} of {cfg.Epochs}; continue with --resume {folder.Root}");
                return ExitCodes.Ok;
            }
            foreach (var line in result.AnalysisSkipped)
                output.WriteLine($"analysis: {line}");
            var last = result.Metrics.Epochs[^1].Test;
            output.WriteLine($"done in {started.Elapsed.TotalSeconds:F0} s: test loss {last.Loss:G6} "
                             + $"(recon {last.Recon:G6}, KL {last.Kl:G4}); run folder {folder.Root} (report.html)");
            return ExitCodes.Ok;
        });
        return root;
    }

    // The option of a config setting the command line names differently (the others share their names).
    private static string OptionName(string setting) => setting switch
    {
        TrainConfig.TrainNoiseSigmaSetting => "train-noise-sigma",
        TrainConfig.TrainNoiseTauSetting => "train-noise-tau",
        _ => setting,
    };

    // --hh-data must name a dataset file; checked before the run folder or the data cache is touched.
    private static string ExistingHhData(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new UserInputException($"--hh-data {path} is a folder; give an HH dataset file written by `simulate`, or omit --hh-data.");
        if (!File.Exists(full))
            throw new UserInputException($"--hh-data {path} does not exist; create it with `simulate --out {path}`, or omit --hh-data.");
        return full;
    }
}
