using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Vae.Simulation.HodgkinHuxley;
using Vae.Simulation.Integration;
using Vae.Simulation.Noise;
using Vae.Simulation.Protocols;

namespace Vae.Simulation.Traces;

/// <summary>
/// Integrates the HH model with a noise current as an SDE, four cells at a time (lanes of <see cref="Vector256{T}"/>),
/// by Euler-Maruyama with the fixed step <see cref="HhNoise.StepMs"/> from rest through the equilibration and the
/// recording: <c>V += h f_V + (sigma_I / Cm) dW</c>, gates <c>+= h f</c>, with the right-hand side of
/// <see cref="HhVectorModel"/>. A coloured current is an OU process advanced exactly over each step and held constant
/// within it. The Brownian increments come in as an argument (<see cref="DrawIncrements"/> draws a dataset row's), so
/// a test can drive a coarse and a fine step by one path. The stimulus edges fall on steps (the step divides the grid).
/// </summary>
public sealed class HhEulerMaruyama
{
    /// <summary>Cells integrated side by side.</summary>
    public const int Lanes = 4;

    private readonly HhProtocol _protocol;
    private readonly HhNoise _noise;
    private readonly int _stepsPerSample, _firstSampleStep, _onStep, _offStep;

    /// <summary>Prepares <paramref name="protocol"/> with the intrinsic noise and step of <paramref name="noise"/> (validated here).</summary>
    public HhEulerMaruyama(HhProtocol protocol, HhNoise noise)
    {
        protocol.Validate();
        noise.Validate(protocol);
        noise.ValidateStep(protocol); // also without intrinsic noise: a plain Euler run (tests) needs a valid step too
        (_protocol, _noise) = (protocol, noise);
        _stepsPerSample = noise.StepsPerSample(protocol);
        _firstSampleStep = (int)Math.Round(protocol.EquilibrationMs / noise.StepMs);
        SampleCount = protocol.ScalingSampleCount;
        StepCount = _firstSampleStep + (SampleCount - 1) * _stepsPerSample;
        var stimulus = protocol.Stimulus;
        _onStep = StepAt(stimulus.Onset);
        _offStep = double.IsFinite(stimulus.Offset) ? StepAt(stimulus.Offset) : int.MaxValue;
    }

    /// <summary>Steps (and Brownian increments per lane) from the start to the last sample.</summary>
    public int StepCount { get; }

    /// <summary>Voltage samples per cell: the protocol's scaling window.</summary>
    public int SampleCount { get; }

    // The first step whose left end is at or after t: the current switches there (right-continuous, as StepCurrent.At).
    private int StepAt(double t) => (int)Math.Min(int.MaxValue, Math.Ceiling(t / _noise.StepMs - 1e-9));

    /// <summary>
    /// Draws the Brownian increments (N(0, h), lane-interleaved: <c>dW[k * Lanes + lane]</c>) and the initial OU current
    /// (stationary; 0 for white noise) of dataset rows <paramref name="rows"/> (at most <see cref="Lanes"/>); unused lanes get zeros.
    /// </summary>
    public void DrawIncrements(ReadOnlySpan<long> rows, Span<double> dW, Span<double> initialCurrent)
    {
        double sqrtH = Math.Sqrt(_noise.StepMs);
        double stationary = _noise.IntrinsicTauMs > 0 ? _noise.IntrinsicSigma / Math.Sqrt(2 * _noise.IntrinsicTauMs) : 0;
        dW[..(StepCount * Lanes)].Clear();
        initialCurrent[..Lanes].Clear();
        for (int l = 0; l < rows.Length; l++)
        {
            var stream = new NoiseStream(_noise.Seed, rows[l], NoiseStream.Intrinsic);
            initialCurrent[l] = stationary * stream.NextGaussian();
            for (int k = 0; k < StepCount; k++)
                dW[k * Lanes + l] = sqrtH * stream.NextGaussian();
        }
    }

    /// <summary>
    /// Integrates <paramref name="cells"/> (1 to <see cref="Lanes"/>) driven by <paramref name="dW"/> and writes each one's
    /// voltage (mV) at the samples of the scaling window to <c>voltage[lane * SampleCount ..]</c>; returns each lane's
    /// outcome (<see cref="ReturnCode.NonFiniteState"/> if its state stopped being finite).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Integrate(ReadOnlySpan<Conductances> cells, ReadOnlySpan<double> dW, ReadOnlySpan<double> initialCurrent, Span<double> voltage,
        Span<SolveResult> results)
    {
        if (cells.Length is < 1 or > Lanes)
            throw new ArgumentOutOfRangeException(nameof(cells), $"give 1 to {Lanes} cells, got {cells.Length}.");
        if (dW.Length < StepCount * Lanes || initialCurrent.Length < Lanes || voltage.Length < SampleCount * Lanes)
            throw new ArgumentException(
                $"buffers too short: {StepCount * Lanes} increments, {Lanes} currents and {SampleCount * Lanes} samples needed.");
        var membrane = _protocol.ParametersFor(0, 0);
        var model = new HhVectorModel(membrane);
        Span<double> gk = stackalloc double[Lanes], gna = stackalloc double[Lanes];
        for (int l = 0; l < Lanes; l++)
            (gk[l], gna[l]) = (cells[Math.Min(l, cells.Length - 1)].GK, cells[Math.Min(l, cells.Length - 1)].GNa);
        var gK = Vector256.Create<double>(gk);
        var gNa = Vector256.Create<double>(gna);

        // White: V takes sigma_I/Cm dW, the current eta stays 0. Coloured: eta[k+1] = a eta[k] + b dW[k] (exact OU over a
        // step; b = sd sqrt(1 - a^2) / sqrt(h) turns dW back into N(0, 1)) and V takes it through the right-hand side.
        double h = _noise.StepMs, tau = _noise.IntrinsicTauMs, sigma = _noise.IntrinsicSigma;
        double a = tau > 0 ? Math.Exp(-h / tau) : 0;
        double b = tau > 0 ? sigma / Math.Sqrt(2 * tau) * Math.Sqrt(-HhRates.ExpM1(-2 * h / tau)) / Math.Sqrt(h) : 0;
        var vh = Vector256.Create(h);
        var va = Vector256.Create(a);
        var vb = Vector256.Create(b);
        var vWhite = Vector256.Create(tau > 0 ? 0 : sigma / membrane.Cm);
        var on = Vector256.Create(_protocol.StimulusAmplitude);
        var off = Vector256<double>.Zero;

        var (n0, m0, h0) = HhRates.SteadyState(_protocol.InitialVoltage);
        var v = Vector256.Create(_protocol.InitialVoltage);
        var n = Vector256.Create(n0);
        var m = Vector256.Create(m0);
        var hg = Vector256.Create(h0);
        var eta = Vector256.Create<double>(initialCurrent[..Lanes]);
        ref double w0 = ref MemoryMarshal.GetReference(dW);
        int samples = SampleCount, sample = 0, nextSample = _firstSampleStep;
        for (int k = 0; ; k++)
        {
            if (k == nextSample)
            {
                for (int l = 0; l < Lanes; l++)
                    voltage[l * samples + sample] = v.GetElement(l);
                if (++sample == samples) break;
                nextSample += _stepsPerSample;
            }
            var current = (k >= _onStep && k < _offStep ? on : off) + eta;
            model.Evaluate(gK, gNa, current, v, n, m, hg, out var dv, out var dn, out var dm, out var dh);
            var w = Vector256.LoadUnsafe(ref w0, (nuint)k * Lanes);
            v = Vector256.FusedMultiplyAdd(vWhite, w, Vector256.FusedMultiplyAdd(vh, dv, v));
            eta = Vector256.FusedMultiplyAdd(vb, w, va * eta);
            n = Vector256.FusedMultiplyAdd(vh, dn, n);
            m = Vector256.FusedMultiplyAdd(vh, dm, m);
            hg = Vector256.FusedMultiplyAdd(vh, dh, hg);
        }

        // A non-finite value stays so (NaN and infinity propagate through every later step), so the end state tells.
        var bad = ~(IsFinite(v) & IsFinite(n) & IsFinite(m) & IsFinite(hg));
        var stats = new SolveStatistics { RhsEvaluations = StepCount, AcceptedSteps = StepCount };
        for (int l = 0; l < cells.Length; l++)
            results[l] = new SolveResult(bad.GetElement(l) != 0 ? ReturnCode.NonFiniteState : ReturnCode.Success, _protocol.EndTime, stats);
    }

    private static Vector256<double> IsFinite(Vector256<double> x) =>
        Vector256.LessThanOrEqual(Vector256.Abs(x), Vector256.Create(double.MaxValue));
}
