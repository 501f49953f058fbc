using Vae.Simulation.Integration;

namespace Vae.Simulation.Tests.Integration;

/// <summary>y' = y, y(0) = 1: y = exp(t).</summary>
internal struct Exponential : IOdeSystem
{
    public readonly int Dimension => 1;
    public readonly void Evaluate(double t, ReadOnlySpan<double> y, Span<double> dydt) => dydt[0] = y[0];
    public readonly void BeginInterval(double t) { }
    public static double[] Exact(double t) => [Math.Exp(t)];
}

/// <summary>y1' = y2, y2' = -y1, y(0) = (1, 0): y = (cos t, -sin t).</summary>
internal struct Oscillator : IOdeSystem
{
    public readonly int Dimension => 2;
    public readonly void Evaluate(double t, ReadOnlySpan<double> y, Span<double> dydt) { dydt[0] = y[1]; dydt[1] = -y[0]; }
    public readonly void BeginInterval(double t) { }
    public static double[] Exact(double t) => [Math.Cos(t), -Math.Sin(t)];
}

/// <summary>Non-autonomous y' = -2 t y, y(0) = 1: y = exp(-t^2); exercises the stage nodes C.</summary>
internal struct Gaussian : IOdeSystem
{
    public readonly int Dimension => 1;
    public readonly void Evaluate(double t, ReadOnlySpan<double> y, Span<double> dydt) => dydt[0] = -2 * t * y[0];
    public readonly void BeginInterval(double t) { }
    public static double[] Exact(double t) => [Math.Exp(-t * t)];
}

/// <summary>Observes a fixed step: its start time, its size, the state at its start and its stages.</summary>
internal delegate void StepObserver(double t, double h, double[] y, double[] k);

/// <summary>
/// A test problem with its exact solution: <see cref="Integrate"/> runs it from 0 to <see cref="TEnd"/> in the
/// given number of equal steps of a tableau, showing each step to the observer if there is one.
/// </summary>
internal sealed record Problem(string Name, Func<double, double[]> Exact, double TEnd, Func<ButcherTableau, int, StepObserver?, double[]> Integrate)
{
    public static Problem Of<T>(string name, T system, double[] y0, double tEnd, Func<double, double[]> exact) where T : IOdeSystem =>
        new(name, exact, tEnd, (tab, steps, onStep) => FixedStep.Run(system, tab, y0, tEnd, steps, onStep));
}

internal static class FixedStep
{
    /// <summary>Integrates with n equal steps of the tableau; calls <paramref name="onStep"/> after each step.</summary>
    public static double[] Run<T>(T system, ButcherTableau tab, double[] y0, double tEnd, int steps,
        StepObserver? onStep = null) where T : IOdeSystem
    {
        int n = system.Dimension;
        var y = (double[])y0.Clone();
        var k = new double[tab.Stages * n];
        var yNew = new double[n];
        var err = new double[n];
        var scratch = new double[2 * n];
        double h = tEnd / steps;
        system.Evaluate(0, y, k.AsSpan(0, n));
        for (int i = 0; i < steps; i++)
        {
            double t = i * h;
            RungeKuttaStepper.Step(ref system, tab, t, h, y, k, yNew, err, scratch);
            onStep?.Invoke(t, h, y, k);
            yNew.CopyTo(y, 0);
            if (tab.IsFsal) Array.Copy(k, (tab.Stages - 1) * n, k, 0, n);
            else system.Evaluate(t + h, y, k.AsSpan(0, n));
        }
        return y;
    }

    public static IEnumerable<Problem> Problems()
    {
        yield return Problem.Of("exp", new Exponential(), [1.0], 4.0, Exponential.Exact);
        yield return Problem.Of("oscillator", new Oscillator(), [1.0, 0.0], 6.0, Oscillator.Exact);
        yield return Problem.Of("gaussian", new Gaussian(), [1.0], 2.0, Gaussian.Exact);
    }

    public static double MaxAbsDiff(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}
