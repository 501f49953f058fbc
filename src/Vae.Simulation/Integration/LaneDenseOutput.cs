using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vae.Simulation.Integration;

/// <summary>
/// <see cref="DenseOutput"/> for one component of a step taken in the four lanes of a <see cref="Vector256{T}"/>:
/// its interpolant as a polynomial <c>y(theta) = y0 + h theta (q0 + theta (q1 + theta (q2 + theta q3)))</c> per lane,
/// and that polynomial sampled onto an output grid (<see cref="LaneDenseStep"/>). For tableaus with cubic or
/// quartic dense output.
/// </summary>
public static class LaneDenseOutput
{
    /// <summary>Lanes per vector.</summary>
    public const int Lanes = 4;

    /// <summary>
    /// Writes <c>q_d</c> of every lane to <c>q[d * Lanes + lane]</c> for d below the tableau's dense degree, from the
    /// stage derivatives of the component, <c>k[stride * i + component]</c> for stage i.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Coefficients(ButcherTableau tableau, ReadOnlySpan<Vector256<double>> k, int stride, int component, Span<double> q)
    {
        var dense = tableau.Dense;
        int stages = tableau.Stages;
        for (int d = 0; d < tableau.DenseDegree; d++)
        {
            var acc = Vector256<double>.Zero;
            for (int i = 0; i < stages; i++)
            {
                double p = dense[i][d];
                if (p != 0) acc = Vector256.FusedMultiplyAdd(Vector256.Create(p), k[stride * i + component], acc);
            }
            acc.CopyTo(q.Slice(d * Lanes, Lanes));
        }
    }
}

/// <summary>
/// One accepted step of one lane, from <c>(T0, Y0)</c> over <c>H</c> to <c>(T1, Y1)</c>, as its dense-output
/// polynomial (<see cref="LaneDenseOutput"/>); a sample at exactly T1 takes Y1.
/// </summary>
public readonly record struct LaneDenseStep(double T0, double H, double T1, double Y0, double Y1, double Q0, double Q1, double Q2, double Q3)
{
    /// <summary>
    /// The step of lane <paramref name="lane"/>, with coefficients <paramref name="q"/> as
    /// <see cref="LaneDenseOutput.Coefficients"/> wrote them for a polynomial of <paramref name="degree"/> (3 or 4).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LaneDenseStep Of(int lane, double t0, double h, double t1, double y0, double y1, ReadOnlySpan<double> q, int degree) =>
        new(t0, h, t1, y0, y1, q[lane], q[LaneDenseOutput.Lanes + lane], q[2 * LaneDenseOutput.Lanes + lane],
            degree > 3 ? q[3 * LaneDenseOutput.Lanes + lane] : 0.0);

    /// <summary>
    /// Fills <c>output[o]</c> for the grid times <c>times[o]</c> from <paramref name="next"/> on while they lie within
    /// the step (at most T1); returns the index of the first time beyond it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Fill(ReadOnlySpan<double> times, Span<double> output, int next)
    {
        int o = next;
        double invH = 1.0 / H;
        // Four samples at a time while all four lie inside the step, with the same operations as the scalar tail.
        var vt0 = Vector256.Create(T0); var vt1 = Vector256.Create(T1); var vInvH = Vector256.Create(invH);
        var vh = Vector256.Create(H); var vy0 = Vector256.Create(Y0); var vy1 = Vector256.Create(Y1);
        var vq0 = Vector256.Create(Q0); var vq1 = Vector256.Create(Q1); var vq2 = Vector256.Create(Q2); var vq3 = Vector256.Create(Q3);
        while (o + 4 <= output.Length)
        {
            var ts = Vector256.Create(times.Slice(o, 4));
            if (!Vector256.LessThanOrEqualAll(ts, vt1)) break;
            var theta = (ts - vt0) * vInvH;
            var value = vy0 + vh * theta * (vq0 + theta * (vq1 + theta * (vq2 + theta * vq3)));
            Vector256.ConditionalSelect(Vector256.Equals(ts, vt1), vy1, value).CopyTo(output.Slice(o, 4));
            o += 4;
        }
        for (; o < output.Length; o++)
        {
            double ts = times[o];
            if (ts > T1) break;
            double theta = (ts - T0) * invH;
            output[o] = ts == T1 ? Y1 : Y0 + H * theta * (Q0 + theta * (Q1 + theta * (Q2 + theta * Q3)));
        }
        return o;
    }
}
