using Vae.Simulation.Integration;

namespace Vae.Simulation.Tests.Integration;

/// <summary>y' = forcing, where the forcing is 0 before t = 1 and 1 from t = 1 on; y = max(0, t - 1).</summary>
internal struct RampAfterOne : IOdeSystem
{
    public double Forcing;
    public List<double>? Starts;
    public readonly int Dimension => 1;
    public readonly void Evaluate(double t, ReadOnlySpan<double> y, Span<double> dydt) => dydt[0] = Forcing;
    public void BeginInterval(double t) { Forcing = t >= 1.0 ? 1.0 : 0.0; Starts?.Add(t); }
}

/// <summary>y' = y^2, y(0) = 1 blows up at t = 1.</summary>
internal struct BlowUp : IOdeSystem
{
    public readonly int Dimension => 1;
    public readonly void Evaluate(double t, ReadOnlySpan<double> y, Span<double> dydt) => dydt[0] = y[0] * y[0];
    public readonly void BeginInterval(double t) { }
}

/// <summary>Returns NaN from t = 0.5 on.</summary>
internal struct PoisonedAfterHalf : IOdeSystem
{
    public readonly int Dimension => 1;
    public readonly void Evaluate(double t, ReadOnlySpan<double> y, Span<double> dydt) => dydt[0] = t < 0.5 ? 1.0 : double.NaN;
    public readonly void BeginInterval(double t) { }
}

public class OdeSolverTests
{
    public static TheoryData<string> Names() => TableauTests.Names();

    [Theory, MemberData(nameof(Names))]
    public void Adaptive_solution_and_dense_grid_meet_the_tolerance(string name)
    {
        var options = new SolverOptions { Tableau = Tableaus.Find(name)!, RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-12 };
        var system = new Oscillator();
        var times = Enumerable.Range(0, 601).Select(i => i * 0.01).ToArray();
        var outputs = new double[times.Length * 2];
        var yEnd = new double[2];
        var result = OdeSolver.Solve(ref system, 0, [1.0, 0.0], 6.0, options, [], times, outputs, yEnd);
        Assert.Equal(ReturnCode.Success, result.Code);
        Assert.Equal(6.0, result.Time);
        double worst = 0;
        for (int i = 0; i < times.Length; i++)
            worst = Math.Max(worst, FixedStep.MaxAbsDiff(outputs.AsSpan(2 * i, 2).ToArray(), Oscillator.Exact(times[i])));
        // Global error of a few hundred steps at rtol 1e-9: well under 1e-6, dense points included.
        Assert.True(worst < 1e-6, $"{name}: max error on the grid {worst:E2}");
        Assert.Equal(outputs[^2], yEnd[0]);
        Assert.Equal(1.0, outputs[0]);
    }

    [Theory, MemberData(nameof(Names))]
    public void Tighter_tolerance_gives_smaller_error_and_more_work(string name)
    {
        double Error(double rtol, out long rhs)
        {
            var options = new SolverOptions { Tableau = Tableaus.Find(name)!, RelativeTolerance = rtol, AbsoluteTolerance = rtol * 1e-3 };
            var system = new Gaussian();
            var yEnd = new double[1];
            var r = OdeSolver.Solve(ref system, 0, [1.0], 2.0, options, [], [], [], yEnd);
            rhs = r.Statistics.RhsEvaluations;
            return Math.Abs(yEnd[0] - Gaussian.Exact(2.0)[0]);
        }
        double loose = Error(1e-4, out long looseRhs), tight = Error(1e-8, out long tightRhs);
        Assert.True(tight < loose / 10, $"{name}: error {tight:E2} at 1e-8 vs {loose:E2} at 1e-4");
        Assert.True(tightRhs > looseRhs);
    }

    [Theory, MemberData(nameof(Names))]
    public void Evaluations_are_counted_per_attempted_step(string name)
    {
        var tab = Tableaus.Find(name)!;
        var options = new SolverOptions { Tableau = tab, RelativeTolerance = 1e-7 };
        var system = new Exponential();
        var yEnd = new double[1];
        var r = OdeSolver.Solve(ref system, 0, [1.0], 4.0, options, [], [], [], yEnd);
        var st = r.Statistics;
        // f(t0, y0), one probe for the initial step, then Stages - 1 new evaluations per attempt (first same as last).
        Assert.Equal(2 + (tab.Stages - 1) * (st.AcceptedSteps + st.RejectedSteps), st.RhsEvaluations);
        Assert.True(st.AcceptedSteps > 5);
    }

    [Fact]
    public void Stops_exactly_at_a_stop_time_and_switches_the_forcing_there()
    {
        var starts = new List<double>();
        var system = new RampAfterOne { Starts = starts };
        var times = new[] { 0.5, 1.0, 1.5, 3.0 };
        var outputs = new double[4];
        var yEnd = new double[1];
        var r = OdeSolver.Solve(ref system, 0, [0.0], 3.0, new SolverOptions(), [1.0], times, outputs, yEnd);
        Assert.Equal(ReturnCode.Success, r.Code);
        Assert.Equal([0.0, 1.0], starts);
        Assert.Equal(0.0, outputs[0]);
        Assert.Equal(0.0, outputs[1]);
        Assert.Equal(0.5, outputs[2], 12);
        Assert.Equal(2.0, yEnd[0], 12);
    }

    [Fact]
    public void Reports_too_many_steps()
    {
        var system = new Oscillator();
        var r = OdeSolver.Solve(ref system, 0, [1.0, 0.0], 100.0, new SolverOptions { MaxSteps = 20 }, [], [], [], new double[2]);
        Assert.Equal(ReturnCode.MaxStepsExceeded, r.Code);
        Assert.True(r.Time < 100.0);
        Assert.Contains("maximum number of steps", r.Describe());
    }

    [Fact]
    public void Reports_step_size_underflow_at_a_singularity()
    {
        var system = new BlowUp();
        var r = OdeSolver.Solve(ref system, 0, [1.0], 2.0, new SolverOptions(), [], [], [], new double[1]);
        Assert.Equal(ReturnCode.StepSizeUnderflow, r.Code);
        Assert.InRange(r.Time, 0.99, 1.001);
    }

    [Fact]
    public void Reports_a_non_finite_state()
    {
        var system = new PoisonedAfterHalf();
        var r = OdeSolver.Solve(ref system, 0, [0.0], 1.0, new SolverOptions(), [], [], [], new double[1]);
        Assert.Equal(ReturnCode.NonFiniteState, r.Code);
        Assert.True(r.Time < 0.5);
    }

    [Theory]
    [InlineData(0.0, 1e-8, "rtol")]
    [InlineData(-1e-6, 1e-8, "rtol")]
    [InlineData(double.NaN, 1e-8, "rtol")]
    [InlineData(1e-6, -1.0, "atol")]
    public void Invalid_tolerances_are_rejected_with_a_message(double rtol, double atol, string mentioned)
    {
        var system = new Exponential();
        var e = Assert.Throws<SimulationInputException>(() =>
            OdeSolver.Solve(ref system, 0, [1.0], 1.0, new SolverOptions { RelativeTolerance = rtol, AbsoluteTolerance = atol }, [], [], [],
                new double[1]));
        Assert.Contains(mentioned, e.Message);
    }

    [Fact]
    public void Output_times_outside_the_interval_are_rejected()
    {
        var system = new Exponential();
        Assert.Throws<SimulationInputException>(() =>
            OdeSolver.Solve(ref system, 0, [1.0], 1.0, new SolverOptions(), [], [2.0], new double[1], new double[1]));
    }
}

public class PiControllerTests
{
    [Fact]
    public void Accepts_at_or_below_one_and_never_grows_right_after_a_rejection()
    {
        var config = PiControllerConfig.ForErrorOrder(4);
        var state = PiControllerState.Initial;
        double grow = state.Next(config, 0.01, out bool ok1);
        Assert.True(ok1);
        Assert.True(grow > 1);
        double shrink = state.Next(config, 4.0, out bool ok2);
        Assert.False(ok2);
        Assert.InRange(shrink, config.MinFactor, 1.0);
        double after = state.Next(config, 1e-6, out bool ok3);
        Assert.True(ok3);
        Assert.True(after <= 1.0);
    }

    [Fact]
    public void Dopri5_gains_for_an_order_four_estimate()
    {
        var c = PiControllerConfig.ForErrorOrder(4);
        Assert.Equal(0.04, c.ProportionalGain, 12);
        Assert.Equal(0.17, c.IntegralGain, 12);
    }
}
