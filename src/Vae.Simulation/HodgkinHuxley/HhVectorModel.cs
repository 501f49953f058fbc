using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Vae.Simulation.Numerics;

namespace Vae.Simulation.HodgkinHuxley;

/// <summary>
/// The HH right-hand side for four cells at once (one per <see cref="Vector256{T}"/> lane), with one exponential
/// per evaluation: every voltage-dependent exponential is a power of <c>w = exp(-(V+65)/720)</c>
/// (<c>exp(-(V+65)/10) = w^72</c>, <c>/18 = w^40</c>, <c>/20 = w^36</c>, <c>/80 = w^9</c>), and the shifted ones
/// (<c>V+55</c>, <c>V+40</c>, <c>V+35</c>) are those times a constant. Agrees with <see cref="HhRates"/> to about
/// 1e-13 relative; the removable singularities use the same series as <see cref="HhRates.RelativeExp"/>.
/// </summary>
public readonly struct HhVectorModel
{
    private static readonly double E1 = Math.Exp(1.0), E25 = Math.Exp(2.5), E3 = Math.Exp(3.0);

    private readonly Vector256<double> _gL, _eK, _eNa, _gLeL, _invCm;

    /// <summary>Shared constants (Cm, gL, EK, ENa, EL) of all four lanes; gK and gNa are per lane.</summary>
    public HhVectorModel(in HhParameters shared)
    {
        _gL = Vector256.Create(shared.GL);
        _eK = Vector256.Create(shared.EK);
        _eNa = Vector256.Create(shared.ENa);
        _gLeL = Vector256.Create(shared.GL * shared.EL);
        _invCm = Vector256.Create(1.0 / shared.Cm);
    }

    /// <summary>dV/dt, dn/dt, dm/dt, dh/dt for four cells with conductances <paramref name="gK"/>, <paramref name="gNa"/> and current
    /// <paramref name="current"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Evaluate(Vector256<double> gK, Vector256<double> gNa, Vector256<double> current,
        Vector256<double> v, Vector256<double> n, Vector256<double> m, Vector256<double> h,
        out Vector256<double> dv, out Vector256<double> dn, out Vector256<double> dm, out Vector256<double> dh)
    {
        var d = v + Vector256.Create(65.0);
        var w = VectorMath.Exp(d * Vector256.Create(-1.0 / 720));
        var w2 = w * w;
        var w4 = w2 * w2;
        var w9 = w4 * w4 * w;
        var w18 = w9 * w9;
        var w36 = w18 * w18;
        var e10 = w36 * w36;     // exp(-(V+65)/10)
        var e18 = w36 * w4;      // exp(-(V+65)/18)
        var e20 = w36;           // exp(-(V+65)/20)
        var e80 = w9;            // exp(-(V+65)/80)

        var d10 = d * Vector256.Create(0.1);
        var an = Vector256.Create(0.1) * RelativeExp(d10 - Vector256.Create(1.0), e10 * Vector256.Create(E1));
        var am = RelativeExp(d10 - Vector256.Create(2.5), e10 * Vector256.Create(E25));
        var bn = Vector256.Create(0.125) * e80;
        var bm = Vector256.Create(4.0) * e18;
        var ah = Vector256.Create(0.07) * e20;
        var one = Vector256<double>.One;
        var bh = one / (one + e10 * Vector256.Create(E3));

        var n2 = n * n;
        var gKn4 = gK * n2 * n2;
        var gNam3h = gNa * m * m * m * h;
        // Cm dV/dt = I - gK n^4 (V - EK) - gNa m^3 h (V - ENa) - gL (V - EL), grouped as conductance * V + sources.
        var conductance = gKn4 + gNam3h + _gL;
        var sources = current + gKn4 * _eK + gNam3h * _eNa + _gLeL;
        dv = (sources - conductance * v) * _invCm;
        dn = an - (an + bn) * n;
        dm = am - (am + bm) * m;
        dh = ah - (ah + bh) * h;
    }

    /// <summary><c>x / (1 - expMinusX)</c> where <c>expMinusX = exp(-x)</c>, by the series near x = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> RelativeExp(Vector256<double> x, Vector256<double> expMinusX)
    {
        var general = x / (Vector256<double>.One - expMinusX);
        var x2 = x * x;
        var series = Vector256<double>.One + x * Vector256.Create(0.5) + x2 * (Vector256.Create(1.0 / 12) - x2 * Vector256.Create(1.0 / 720));
        var small = Vector256.LessThan(Vector256.Abs(x), Vector256.Create(1e-2));
        return Vector256.ConditionalSelect(small, series, general);
    }
}
