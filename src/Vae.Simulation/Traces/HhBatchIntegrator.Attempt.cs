using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Vae.Simulation.HodgkinHuxley;
using Vae.Simulation.Integration;

namespace Vae.Simulation.Traces;

// One step of every lane: the stages, the error norm, sampling the accepted steps and moving the lanes on.
public sealed partial class HhBatchIntegrator
{
    /// <summary>The stages of one attempt in every lane: the new state (first same as last: the last stage's) and its scaled error norm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Attempt(in HhVectorModel model, Span<Vector256<double>> k, LaneState y0, Vector256<double> gK, Vector256<double> gNa,
        Vector256<double> current, Vector256<double> step,
        out LaneState y, out Vector256<double> norm, out Vector256<double> finite)
    {
        int s = _tab.Stages;
        var a = _tab.A;
        var zero = Vector256<double>.Zero;
        Vector256<double> v = y0.V, n = y0.N, m = y0.M, hg = y0.H;
        // Stages 1..s-1; the last stage's state is the new solution (its A row is B).
        Vector256<double> yv = v, yn = n, ym = m, yh = hg;
        for (int i = 1; i < s; i++)
        {
            var (sv, sn, sm, sh) = WeightedSum(a[i], k);
            yv = Vector256.FusedMultiplyAdd(step, sv, v);
            yn = Vector256.FusedMultiplyAdd(step, sn, n);
            ym = Vector256.FusedMultiplyAdd(step, sm, m);
            yh = Vector256.FusedMultiplyAdd(step, sh, hg);
            model.Evaluate(gK, gNa, current, yv, yn, ym, yh, out k[4 * i], out k[4 * i + 1], out k[4 * i + 2], out k[4 * i + 3]);
        }

        // ErrorNorm.Rms lane-wise.
        var (ev, en, em, eh) = WeightedSum(_tab.E, k);
        var rtol = Vector256.Create(_options.RelativeTolerance);
        var atol = Vector256.Create(_options.AbsoluteTolerance);
        var rv = ev / (atol + rtol * Vector256.Max(Vector256.Abs(v), Vector256.Abs(yv)));
        var rn = en / (atol + rtol * Vector256.Max(Vector256.Abs(n), Vector256.Abs(yn)));
        var rm = em / (atol + rtol * Vector256.Max(Vector256.Abs(m), Vector256.Abs(ym)));
        var rh = eh / (atol + rtol * Vector256.Max(Vector256.Abs(hg), Vector256.Abs(yh)));
        norm = step * Vector256.Sqrt((rv * rv + rn * rn + rm * rm + rh * rh) * Vector256.Create(0.25));
        // A NaN or infinite state or norm gives a non-zero (x - x).
        finite = Vector256.Equals((norm - norm) + (yv - yv) + (yn - yn) + (ym - ym) + (yh - yh), zero);
        y = new LaneState(yv, yn, ym, yh);
    }

    /// <summary>Sum over stages j of <c>w[j] * k_j</c> for each of V, n, m, h, in stage order, skipping zero weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> V, Vector256<double> N, Vector256<double> M, Vector256<double> H) WeightedSum(
        double[] w, Span<Vector256<double>> k)
    {
        Vector256<double> sv = Vector256<double>.Zero, sn = sv, sm = sv, sh = sv;
        for (int j = 0; j < w.Length; j++)
        {
            if (w[j] == 0) continue;
            var wj = Vector256.Create(w[j]);
            sv = Vector256.FusedMultiplyAdd(wj, k[4 * j], sv);
            sn = Vector256.FusedMultiplyAdd(wj, k[4 * j + 1], sn);
            sm = Vector256.FusedMultiplyAdd(wj, k[4 * j + 2], sm);
            sh = Vector256.FusedMultiplyAdd(wj, k[4 * j + 3], sh);
        }
        return (sv, sn, sm, sh);
    }

    /// <summary>Samples V of every accepted lane's step onto the output grid with the tableau's dense output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Sample(Span<Vector256<double>> k, Span<double> q, LaneBook book, uint acceptBits,
        Vector256<double> t, Vector256<double> step, Vector256<double> tNew, Vector256<double> v, Vector256<double> yv)
    {
        LaneDenseOutput.Coefficients(_tab, k, 4, HhSystem.V, q);
        int degree = _tab.DenseDegree;
        for (uint bitsLeft = acceptBits; bitsLeft != 0; bitsLeft &= bitsLeft - 1)
        {
            int l = BitOperations.TrailingZeroCount(bitsLeft);
            var piece = LaneDenseStep.Of(l, t[l], step[l], tNew[l], v[l], yv[l], q, degree);
            book.OutIndex[l] = piece.Fill(_sampleTimes, book.Buffers[l], book.OutIndex[l]);
        }
    }

    /// <summary>Moves accepted lanes to their new state and first stage (first same as last); sets every lane's next step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(ref LaneVectors x, Span<Vector256<double>> k, Vector256<double> accept, in LaneState y,
        Vector256<double> tNew, Vector256<double> nextStep)
    {
        x.V = Vector256.ConditionalSelect(accept, y.V, x.V);
        x.N = Vector256.ConditionalSelect(accept, y.N, x.N);
        x.M = Vector256.ConditionalSelect(accept, y.M, x.M);
        x.Hg = Vector256.ConditionalSelect(accept, y.H, x.Hg);
        x.T = Vector256.ConditionalSelect(accept, tNew, x.T);
        int last = 4 * (_tab.Stages - 1);
        k[0] = Vector256.ConditionalSelect(accept, k[last], k[0]);
        k[1] = Vector256.ConditionalSelect(accept, k[last + 1], k[1]);
        k[2] = Vector256.ConditionalSelect(accept, k[last + 2], k[2]);
        k[3] = Vector256.ConditionalSelect(accept, k[last + 3], k[3]);
        x.H = nextStep;
    }
}
