using Vae.Model;
using static TorchSharp.torch;

namespace Vae.Runs.Experiments;

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
/// pure step the replaced training states are disposed each step.
/// </summary>
public sealed class FunctionalLoop : IStepLoop
{
    private readonly Tensor _data;
    private readonly int _batch;
    private readonly Generator _gen;
    private readonly bool _inPlace;
    private TrainState _training;

    /// <summary>
    /// Steps <paramref name="training"/> on batches of <paramref name="data"/>, drawing its noise from
    /// <paramref name="gen"/>; it then owns both.
    /// </summary>
    public FunctionalLoop(TrainState training, Tensor data, int batch, bool inPlace, Generator gen)
    {
        (_training, _data, _batch, _inPlace, _gen) = (training, data, batch, inPlace, gen);
    }

    /// <inheritdoc/>
    public double Step(int i)
    {
        using var x = SyntheticBatches.At(_data, i, _batch);
        if (_inPlace)
            return _training.StepInPlace(x, _gen, i).Loss;
        var (next, m) = _training.Step(x, _gen, i);
        _training.Dispose();
        _training = next;
        return m.Loss;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _training.Dispose();
        _gen.Dispose();
    }
}
