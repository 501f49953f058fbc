// Simulates a few Hodgkin-Huxley traces with FunctionalVae.Simulation and trains an MLP-VAE on them for a few
// steps with FunctionalVae.Model, both taken from NuGet packages. Run: dotnet run --project examples/PackageSample
using TorchSharp;
using Vae.Model;
using Vae.Simulation.Datasets;
using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;

const int traces = 64, batch = 16, steps = 20;
var data = DatasetGenerator.FromSeed(HhProtocol.Report, traces, seed: 0, SolverOptions.Default);
Console.WriteLine($"simulated {data.Count} traces of {data.SampleCount} samples ({data.SpikeCounts.Average():F1} spikes each on average)");

NativeSetup.initialize();
using var x = torch.tensor(data.Scaled, [data.Count, data.SampleCount]);
var model = VaeModel.Dense(DenseVae.withLatent(2,
    DenseVae.withLikelihood(Losses.Likelihood.SquaredError, DenseVae.withInput(data.SampleCount, DenseVae.mlpDefault))));
using var gen = new torch.Generator(0);
// Parameters drawn from gen and the study's NAdamW state, with the training step inside.
using var training = model.StartTraining(Training.studyOptimizer(steps), 1.0, gen);

double first = double.NaN, last = double.NaN;
for (long step = 0; step < steps; step++)
{
    using var scope = torch.NewDisposeScope();
    using var rows = x.narrow(0, step * batch % traces, batch);
    var m = training.StepInPlace(rows, gen, step);
    if (step == 0) first = m.Loss;
    last = m.Loss;
    if (step % 5 == 0 || step == steps - 1)
        Console.WriteLine($"step {step,2}: loss {m.Loss,10:F2} (reconstruction {m.Reconstruction:F2}, KL {m.Kl:F3})");
}
if (!(last < first))
{
    Console.Error.WriteLine($"error: the loss did not fall ({first:F2} -> {last:F2})");
    return 1;
}
using var recon = training.Model.Reconstruct(x);
Console.WriteLine($"trained {steps} steps: loss {first:F2} -> {last:F2}; reconstruction error {(recon - x).square().mean().item<float>():F4}");
return 0;
