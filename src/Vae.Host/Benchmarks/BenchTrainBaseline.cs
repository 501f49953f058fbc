using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vae.Host.Benchmarks;

/// <summary>
/// Hand-written TorchSharp training of the benchmark models (torch.nn modules, backward(), clip_grad_value_
/// and torch.optim.AdamW), the yardstick for the functional layer's overhead. Same architectures, loss and
/// batch as the functional models; the optimizer is AdamW (TorchSharp has no NAdamW), of similar cost.
/// Weights and biases are drawn from an explicit generator, U(-1/sqrt(fan-in), 1/sqrt(fan-in)) as torch.nn's
/// defaults are, so nothing seeds libtorch's global generator.
/// </summary>
public sealed class BenchTrainBaseline : IDisposable
{
    private readonly Module<Tensor, Tensor>[] _encoder;
    private readonly Module<Tensor, Tensor>[] _decoder;
    private readonly ConvTranspose1d[] _up;
    private readonly Linear _head;
    private readonly bool _bernoulli;
    private readonly long _channels;
    private readonly long _reduced;
    private readonly List<Parameter> _parameters;
    private readonly optim.Optimizer _optimizer;
    private readonly Generator _gen;

    private BenchTrainBaseline(Module<Tensor, Tensor>[] encoder, Linear head, Module<Tensor, Tensor>[] decoder,
        ConvTranspose1d[] up, bool bernoulli, long channels, long reduced, Generator gen)
    {
        _encoder = encoder;
        _up = up;
        _head = head;
        _decoder = decoder;
        _bernoulli = bernoulli;
        _channels = channels;
        _reduced = reduced;
        _parameters = encoder.SelectMany(m => m.parameters()).Concat(head.parameters())
            .Concat(decoder.SelectMany(m => m.parameters())).Concat(up.SelectMany(m => m.parameters())).ToList();
        foreach (var m in encoder.Concat(decoder).Concat(up).Append(head))
            Initialize(m, gen);
        _optimizer = optim.AdamW(_parameters, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 1e-4);
        _gen = gen;
    }

    // torch.nn's default initialization (weights and biases uniform in +-1/sqrt(fan-in), fan-in as torch counts
    // it: weight elements per first-axis slice), drawn from the given generator instead of the global one.
    private static void Initialize(Module<Tensor, Tensor> m, Generator gen)
    {
        var named = m.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        if (!named.TryGetValue("weight", out var w))
            return;
        var bound = 1.0 / Math.Sqrt(w.numel() / w.shape[0]);
        using var _ = no_grad();
        nn.init.uniform_(w, -bound, bound, gen);
        if (named.TryGetValue("bias", out var b))
            nn.init.uniform_(b, -bound, bound, gen);
    }

    /// <summary>MLP-VAE input-hidden-latent, Bernoulli likelihood; initialization and noise from <paramref name="gen"/>, which the model then
    /// owns.</summary>
    public static BenchTrainBaseline Mlp(int input, int hidden, int latent, Generator gen)
    {
        return new BenchTrainBaseline(
            [nn.Linear(input, hidden)], nn.Linear(hidden, 2 * latent),
            [nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, input)], [], true, 0, 0, gen);
    }

    /// <summary>The reference trace Conv-VAE: Conv1d 32 and 64 (kernel 3, stride 2), heads on the flattened
    /// features, Dense back, ConvT 64 and 32 (stride 2) and ConvT 1 (stride 1); squared-error likelihood;
    /// initialization and noise from <paramref name="gen"/>, which the model then owns.</summary>
    public static BenchTrainBaseline Conv1dReference(int length, int latent, Generator gen)
    {
        long l1 = (length + 2 - 3) / 2 + 1, l2 = (l1 + 2 - 3) / 2 + 1;
        // Output paddings that make each transposed convolution restore the encoder's lengths exactly.
        long op1 = l1 - ((l2 - 1) * 2 - 2 + 3), op2 = length - ((l1 - 1) * 2 - 2 + 3);
        return new BenchTrainBaseline(
            [nn.Conv1d(1, 32, 3, stride: 2, padding: 1), nn.ReLU(), nn.Conv1d(32, 64, 3, stride: 2, padding: 1), nn.ReLU()],
            nn.Linear(64 * l2, 2 * latent),
            [nn.Linear(latent, 64 * l2), nn.ReLU()],
            [nn.ConvTranspose1d(64, 64, 3, stride: 2, padding: 1, output_padding: op1),
             nn.ConvTranspose1d(64, 32, 3, stride: 2, padding: 1, output_padding: op2),
             nn.ConvTranspose1d(32, 1, 3, stride: 1, padding: 1)],
            false, 64, l2, gen);
    }

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => _parameters.Sum(p => p.numel());

    /// <summary>One training step on a batch [batch; features]; returns the loss.</summary>
    public double Step(Tensor batch)
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        var h = _channels > 0 ? batch.unsqueeze(1) : batch;
        foreach (var m in _encoder)
            h = _channels > 0 ? m.call(h) : nn.functional.relu(m.call(h));
        if (_channels > 0) h = h.flatten(1);
        var parts = _head.call(h).chunk(2, 1);
        var (mu, logvar) = (parts[0], parts[1]);
        var eps = randn(mu.shape, dtype: mu.dtype, generator: _gen);
        var z = mu + (logvar * 0.5).exp() * eps;
        var o = z;
        foreach (var m in _decoder)
            o = m.call(o);
        if (_channels > 0)
        {
            o = o.reshape(-1, _channels, _reduced);
            o = nn.functional.relu(_up[0].call(o));
            o = nn.functional.relu(_up[1].call(o));
            o = _up[2].call(o).squeeze(1);
        }
        var recon = _bernoulli
            ? nn.functional.binary_cross_entropy_with_logits(o, batch, reduction: nn.Reduction.None).sum(1)
            : (o - batch).pow(2).sum(1);
        var kl = ((mu * mu) + logvar.exp() - logvar - 1.0).sum(1) * 0.5;
        var loss = (recon + kl).mean();
        loss.backward();
        nn.utils.clip_grad_value_(_parameters, 1.0);
        _optimizer.step();
        return loss.item<float>();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var m in _encoder.Concat(_decoder)) m.Dispose();
        _head.Dispose();
        foreach (var m in _up) m.Dispose();
        _gen.Dispose();
    }
}
