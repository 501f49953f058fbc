using Vae.Model.Density;
using Vae.Runs.Analysis;
using Vae.Runs.Inference;
using Vae.Runs.Tests.Data;
using Vae.Simulation.Storage;

namespace Vae.Runs.Tests.Inference;

/// <summary>`infer fit` on a dataset's features or traces: resumable to the same estimator, its folder guarded, its posterior usable.</summary>
public sealed class InferFitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fvae-inferfit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EstimatorRecord Request(HhDatasetFile file, InferenceRepresentation? representation = null) => new()
    {
        Representation = representation ?? InferenceRepresentation.Sbi,
        Estimator = "mdn",
        Seed = 7,
        MaxEpochs = 6,
        Data = file.Path,
        ContentHash = file.ContentHash,
        Protocol = file.Protocol,
        Noise = file.Noise,
        Prior = [.. PosteriorAnalysis.Prior(file.Protocol).Select(b => new[] { b.Low, b.High })],
        Width = 0,
        TrainPairs = 0,
        TestPairs = 0,
    };

    private static double[] Parameters(string path) =>
        [.. Estimator.leaves(EstimatorFile.load(path, TorchSharp.torch.CPU).Net).SelectMany(Vae.Model.Interop.toArray)];

    private EstimatedPosterior Fit(HhDatasetFile file, string name, bool resume = false, CancellationToken cancel = default,
        Action<string>? log = null, InferenceRepresentation? representation = null) =>
        InferFit.Run(new EstimatorFolder(Path.Combine(_dir, name)), Request(file, representation), file, null, resume, log ?? (_ => { }),
            _ => { }, cancel);

    [Fact]
    public void An_interrupted_fit_resumes_to_the_estimator_an_uninterrupted_one_ends_with()
    {
        TestTorch.Ensure();
        using var file = HhStreamedFile.Open(Path.Combine(TinyData.Dir, "d40.h5"));
        var whole = Fit(file, "whole");
        using var stop = new CancellationTokenSource();
        var epochs = 0;
        Assert.Throws<OperationCanceledException>(() => Fit(file, "cut", cancel: stop.Token, log: line =>
        {
            if (line.Contains("epoch") && ++epochs == 2)
                stop.Cancel();
        }));
        var folder = new EstimatorFolder(Path.Combine(_dir, "cut"));
        Assert.False(folder.Finished);
        var lines = new List<string>();
        var resumed = Fit(file, "cut", resume: true, log: lines.Add);
        // It went on from the saved state: only the epochs after the second ran again.
        Assert.Contains("  resuming the fit after epoch 2", lines);
        Assert.Equal(4, lines.Count(l => l.StartsWith("  epoch ", StringComparison.Ordinal)));
        Assert.Equal(Parameters(Path.Combine(_dir, "whole", "estimator.safetensors")), Parameters(folder.EstimatorPath));
        Assert.Equal(whole.Row.MeanLogDensity, resumed.Row.MeanLogDensity);
        Assert.Equal(whole.Row.Nats, resumed.Row.Nats);
        Assert.Equal(whole.Row.PosteriorStd, resumed.Row.PosteriorStd);
        Assert.Equal(whole.Row.SbcP, resumed.Row.SbcP);
        Assert.Equal(whole.Row.Coverage, resumed.Row.Coverage);
        Assert.Equal((6, 6), (whole.Row.Epochs, resumed.Row.Epochs));
    }

    [Fact]
    public void A_folder_with_a_fit_is_refused_unless_resuming_the_same_request()
    {
        TestTorch.Ensure();
        using var file = HhStreamedFile.Open(Path.Combine(TinyData.Dir, "d40.h5"));
        Assert.Contains("holds no fit to resume", Assert.Throws<UserInputException>(() => Fit(file, "a", resume: true)).Message);
        Fit(file, "a");
        Assert.Contains("already holds an estimator", Assert.Throws<UserInputException>(() => Fit(file, "a")).Message);
        Assert.Contains("has finished", Assert.Throws<UserInputException>(() => Fit(file, "a", resume: true)).Message);
        var other = new EstimatorFolder(Path.Combine(_dir, "b"));
        other.Write(Request(file) with { Seed = 8 });
        Assert.Contains("other settings", Assert.Throws<UserInputException>(() => Fit(file, "b", resume: true)).Message);
        var busy = Path.Combine(_dir, "busy");
        Directory.CreateDirectory(busy);
        File.WriteAllText(Path.Combine(busy, "notes.txt"), "mine");
        Assert.Contains("is not empty", Assert.Throws<UserInputException>(() => Fit(file, "busy")).Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(busy, "notes.txt")));
    }

    [Fact]
    public void The_posterior_of_an_observation_lies_in_the_prior_and_repeats_for_the_seed()
    {
        TestTorch.Ensure();
        using var file = HhStreamedFile.Open(Path.Combine(TinyData.Dir, "d40.h5"));
        Fit(file, "e");
        var folder = new EstimatorFolder(Path.Combine(_dir, "e"));
        var record = folder.Record();
        Assert.Equal(InferenceRepresentation.Sbi, record.Representation);
        Assert.NotNull(record.Imputation);
        var observation = Observation.Read(file.Path, Vae.Simulation.Protocols.HhProtocol.Report, trace: 39);
        var a = InferApply.Run(folder, record, observation, 500, null);
        var b = InferApply.Run(folder, record, observation, 500, null);
        Assert.Equal(a.Samples, b.Samples);
        for (var j = 0; j < 2; j++)
        {
            Assert.Equal(500, a.Samples[j].Length);
            Assert.All(a.Samples[j], v => Assert.InRange(v, record.Prior[j][0], record.Prior[j][1]));
            var s = a.Summary[j];
            Assert.True(s.Low <= s.Median && s.Median <= s.High);
            Assert.Equal(a.Samples[j].Average(), s.Mean, 1e-12);
        }
        Assert.InRange(a.Acceptance, InferApply.MinAcceptance, 1);
        Assert.Equal(InferApply.PredictiveTraces, a.Predictive.Length);
        Assert.All(a.Predictive, v => Assert.Equal(file.Length, v.Length));
    }

    [Fact]
    public void An_embedding_estimator_trains_on_the_traces_in_mV_and_gives_the_posterior_of_an_observation()
    {
        TestTorch.Ensure();
        using var file = HhStreamedFile.Open(Path.Combine(TinyData.Dir, "d40.h5"));
        var fitted = Fit(file, "cnn", representation: InferenceRepresentation.Embedding);
        var folder = new EstimatorFolder(Path.Combine(_dir, "cnn"));
        var record = folder.Record();
        Assert.Equal(InferenceRepresentation.Embedding, record.Representation);
        Assert.Null(record.Imputation);
        Assert.Equal(file.Length, record.Width);
        // The density conditions on the embedding's 20 features.
        Assert.Equal(20, fitted.Row.Dimensions);
        Assert.Equal(Some(Embedding.defaults(file.Length)), EstimatorFile.load(folder.EstimatorPath, TorchSharp.torch.CPU).Settings.Embedding);
        var observation = Observation.Read(file.Path, Vae.Simulation.Protocols.HhProtocol.Report, trace: 39);
        var a = InferApply.Run(folder, record, observation, 200, null);
        Assert.Equal(a.Samples, InferApply.Run(folder, record, observation, 200, null).Samples);
        for (var j = 0; j < 2; j++)
            Assert.All(a.Samples[j], v => Assert.InRange(v, record.Prior[j][0], record.Prior[j][1]));
    }

    private static Microsoft.FSharp.Core.FSharpOption<T> Some<T>(T value) => Microsoft.FSharp.Core.FSharpOption<T>.Some(value);
}
