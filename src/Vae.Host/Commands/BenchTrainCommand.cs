using System.CommandLine;
using System.Diagnostics;
using Vae.Host.Cli;
using Vae.Model;
using static TorchSharp.torch;

namespace Vae.Host.Commands;

/// <summary>
/// `bench-train`: seconds per training epoch of the functional model layer against a hand-written TorchSharp
/// loop of the same model, on synthetic data of the study's shapes held in memory (MLP-VAE 784-500-20 on
/// 24,754 binary images at batch 128; trace Conv-VAE on 8,000 traces of 5,000 samples at batch 64).
/// </summary>
public static class BenchTrainCommand
{
    private sealed record Workload(string Name, int Examples, int Features, int Batch);

    /// <summary>The `bench-train` command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "mlp (784-500-20), conv1d (the reference trace Conv-VAE: kernel 3, stride 2, heads 2x16) or conv1d-default (the product's trace Conv-VAE, functional only).", DefaultValueFactory = _ => "mlp" };
        model.AcceptOnlyFromAmong("mlp", "conv1d", "conv1d-default");
        var steps = new Option<int>("--steps") { Description = "Timed steps per loop; 0 for one whole epoch.", DefaultValueFactory = _ => 0 };
        steps.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--steps must be >= 0."); });
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps before timing.", DefaultValueFactory = _ => 3 };
        var loop = new Option<string>("--loop") { Description = "functional, baseline (hand-written TorchSharp) or both.", DefaultValueFactory = _ => "both" };
        loop.AcceptOnlyFromAmong("functional", "baseline", "both");
        var step = new Option<string>("--step") { Description = "Functional step: in-place (Training.stepInPlace, donated buffers) or pure (Training.step, fresh tensors each step).", DefaultValueFactory = _ => "in-place" };
        step.AcceptOnlyFromAmong("in-place", "pure");
        var allocator = new Option<string>("--allocator") { Description = "tuned (large blocks kept for reuse, as training runs do) or system (glibc's defaults).", DefaultValueFactory = _ => "tuned" };
        allocator.AcceptOnlyFromAmong("tuned", "system");
        var threads = HostOptions.Threads();
        var cmd = new Command("bench-train", "Time training steps of the functional model layer and of a hand-written TorchSharp loop; print seconds per epoch.");
        foreach (var o in new Option[] { model, steps, warmup, loop, step, allocator, threads })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var outp = parse.InvocationConfiguration.Output;
            NativeSetup.initialize();
            var tuned = parse.GetValue(allocator) == "tuned" && NativeSetup.reuseLargeAllocations();
            var n = NativeSetup.setThreads(HostOptions.ThreadsValue(parse, threads));
            var which = parse.GetValue(model)!;
            var w = which == "mlp" ? new Workload("MLP-VAE 784-500-20", 24_754, 784, 128) : new Workload(which == "conv1d" ? "Conv1d VAE (k3 s2, 2x16)" : "Conv1d VAE (product default)", 8_000, 5_000, 64);
            int perEpoch = w.Examples / w.Batch;
            int timed = parse.GetValue(steps) is int s && s > 0 ? s : perEpoch;
            int warm = parse.GetValue(warmup);
            var loops = parse.GetValue(loop)!;
            var inPlace = parse.GetValue(step) == "in-place";
            outp.WriteLine($"{w.Name}: {w.Examples} examples x {w.Features}, batch {w.Batch}, {perEpoch} steps/epoch; timing {timed} steps after {warm} warm-up; threads {n}; functional step {(inPlace ? "in-place" : "pure")}; allocator {(tuned ? "tuned" : "system")}");
            using var gen = new Generator(1);
            using var data = which == "mlp"
                ? rand(new long[] { w.Examples, w.Features }, generator: gen).lt(0.13).to(float32)
                : rand(new long[] { w.Examples, w.Features }, generator: gen);
            // Both loops advance in alternating blocks of 10 steps so that machine noise hits them alike; the
            // per-step median is reported (and the mean, which epochs actually cost).
            var loopsToRun = new List<(string Name, Func<int, double> Step, IDisposable Owner)>();
            if (loops != "baseline")
            {
                var f = which switch
                {
                    "mlp" => new FunctionalLoop<DenseVae.Params>(DenseVae.model(DenseVae.mlpDefault), DenseVae.init(DenseVae.mlpDefault, Interop.TensorSpec.Float32, gen), data, w.Batch, warm + timed, inPlace),
                    "conv1d" => (IFunctionalLoop)new FunctionalLoop<ConvVae1d.Params>(ConvVae1d.model(ReferenceConv(16)), ConvVae1d.init(ReferenceConv(16), Interop.TensorSpec.Float32, gen), data, w.Batch, warm + timed, inPlace),
                    _ => new FunctionalLoop<ConvVae1d.Params>(ConvVae1d.model(ConvVae1d.defaultConfig), ConvVae1d.init(ConvVae1d.defaultConfig, Interop.TensorSpec.Float32, gen), data, w.Batch, warm + timed, inPlace),
                };
                loopsToRun.Add(("functional", f.Step, f));
            }
            if (loops != "functional" && which != "conv1d-default")
            {
                var b = which == "mlp" ? BenchTrainBaseline.Mlp(784, 500, 20, 1) : BenchTrainBaseline.Conv1dReference(5_000, 16, 1);
                loopsToRun.Add(("hand-written", i => { using var x = Batch(data, i, w.Batch); return b.Step(x); }, b));
            }
            var times = loopsToRun.Select(_ => new List<double>()).ToList();
            for (int i = 0; i < warm; i++)
                foreach (var l in loopsToRun) l.Step(i);
            for (int start = warm; start < warm + timed; start += 10)
                for (int k = 0; k < loopsToRun.Count; k++)
                    for (int i = start; i < Math.Min(start + 10, warm + timed); i++)
                    {
                        var clock = Stopwatch.StartNew();
                        var loss = loopsToRun[k].Step(i);
                        times[k].Add(clock.Elapsed.TotalSeconds);
                        if (!double.IsFinite(loss)) throw new InvalidOperationException($"{loopsToRun[k].Name}: training diverged (loss {loss})");
                    }
            var medians = new List<double>();
            for (int k = 0; k < loopsToRun.Count; k++)
            {
                var sorted = times[k].OrderBy(t => t).ToList();
                double median = sorted[sorted.Count / 2], mean = sorted.Average();
                medians.Add(median);
                outp.WriteLine($"{loopsToRun[k].Name,-12}: median {median * 1e3:F2} ms/step, mean {mean * 1e3:F2} ms/step; {mean * perEpoch:F2} s/epoch (mean x {perEpoch} steps)");
                loopsToRun[k].Owner.Dispose();
            }
            if (medians.Count == 2)
                outp.WriteLine($"functional layer overhead (medians): {(medians[0] / medians[1] - 1) * 100:+0.0;-0.0;0.0}%");
            return 0;
        });
        return cmd;
    }

    private static ConvVae1d.Config ReferenceConv(int latent)
    {
        var r = ConvVae1d.referenceConfig;
        return new ConvVae1d.Config(r.Length, r.Filters1, r.Filters2, r.Kernel1, r.Stride1, r.Kernel2, r.Stride2, r.Hidden, latent, r.Likelihood);
    }

    private static Tensor Batch(Tensor data, int step, int batch)
    {
        long per = data.shape[0] / batch;
        return data.narrow(0, step % per * batch, batch);
    }

    private interface IFunctionalLoop : IDisposable
    {
        double Step(int i);
    }

    /// <summary>The functional training step in a loop: replaced parameters and states are disposed each step.</summary>
    private sealed class FunctionalLoop<P> : IFunctionalLoop
    {
        private readonly Vae.Model.Training.Trainer<P> _trainer;
        private readonly Tensor _data;
        private readonly int _batch;
        private readonly Generator _gen = new(2);
        private readonly bool _inPlace;
        private P _p;
        private Optim.OptState _state;

        public FunctionalLoop(Vae<P> vae, P p0, Tensor data, int batch, int totalSteps, bool inPlace)
        {
            _inPlace = inPlace;
            _trainer = Vae.Model.Training.studyTrainer(vae, 1.0, totalSteps);
            (_p, _data, _batch) = (p0, data, batch);
            _state = Optim.init(_trainer.Optimizer, p0);
        }

        public double Step(int i)
        {
            using var x = Batch(_data, i, _batch);
            if (_inPlace)
                return Vae.Model.Training.stepInPlace(_trainer, _p, _state, x, _gen, i).Loss;
            var (p2, s2, m) = Vae.Model.Training.step(_trainer, _p, _state, x, _gen, i);
            Params.dispose(_p);
            Optim.disposeState(_state);
            (_p, _state) = (p2, s2);
            return m.Loss;
        }

        public void Dispose()
        {
            Params.dispose(_p);
            Optim.disposeState(_state);
            _gen.Dispose();
        }
    }
}
