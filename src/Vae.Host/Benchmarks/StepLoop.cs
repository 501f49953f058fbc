using Vae.Model;
using static TorchSharp.torch;

namespace Vae.Host.Benchmarks;

/// <summary>A training loop that the benchmark can advance one step at a time.</summary>
public interface IStepLoop : IDisposable
{
    /// <summary>Trains on batch <paramref name="i"/> (modulo the batches of the data); returns the loss.</summary>
    double Step(int i);
}

/// <summary>Batches of data held in memory, cycling through the whole batches.</summary>
public static class SyntheticBatches
{
    /// <summary>A view of rows [k batch, (k + 1) batch) with k = step modulo the number of whole batches.</summary>
    public static Tensor At(Tensor data, int step, int batch)
    {
        long per = data.shape[0] / batch;
        return data.narrow(0, step % per * batch, batch);
    }
}

/// <summary>
/// The functional training step in a loop (the benchmark's, and the step times that plan a sweep's shards); with the
/// pure step the replaced parameters and states are disposed each step.
/// </summary>
public sealed class FunctionalLoop<P> : IStepLoop
{
    private readonly Vae.Model.Training.Trainer<P> _trainer;
    private readonly Tensor _data;
    private readonly int _batch;
    private readonly Generator _gen;
    private readonly bool _inPlace;
    private P _p;
    private Optim.OptState _state;

    /// <summary>
    /// The study's trainer (NAdamW with its cosine schedule) over <paramref name="totalSteps"/> steps from parameters
    /// <paramref name="p0"/>, which it then owns.
    /// </summary>
    public FunctionalLoop(Vae<P> vae, P p0, Tensor data, int batch, int totalSteps, bool inPlace, ulong noiseSeed)
        : this(Vae.Model.Training.studyTrainer(vae, 1.0, totalSteps), p0, data, batch, inPlace, new Generator(noiseSeed))
    {
    }

    /// <summary>
    /// <paramref name="trainer"/> from parameters <paramref name="p0"/>, drawing its noise from <paramref name="gen"/>;
    /// it then owns both.
    /// </summary>
    public FunctionalLoop(Vae.Model.Training.Trainer<P> trainer, P p0, Tensor data, int batch, bool inPlace, Generator gen)
    {
        _inPlace = inPlace;
        _trainer = trainer;
        (_p, _data, _batch) = (p0, data, batch);
        _state = Optim.init(_trainer.Optimizer, p0);
        _gen = gen;
    }

    /// <inheritdoc/>
    public double Step(int i)
    {
        using var x = SyntheticBatches.At(_data, i, _batch);
        if (_inPlace)
            return Vae.Model.Training.stepInPlace(_trainer, _p, _state, x, _gen, i).Loss;
        var (p2, s2, m) = Vae.Model.Training.step(_trainer, _p, _state, x, _gen, i);
        Params.dispose(_p);
        Optim.disposeState(_state);
        (_p, _state) = (p2, s2);
        return m.Loss;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Params.dispose(_p);
        Optim.disposeState(_state);
        _gen.Dispose();
    }
}
