using Vae.Simulation.Integration;

namespace Vae.Simulation.Tests.Integration;

public class ConvergenceTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var t in Tableaus.All)
            foreach (var p in FixedStep.Problems())
                data.Add(t.Name, p.Name);
        return data;
    }

    private static double Order(double coarseError, double fineError) => Math.Log2(coarseError / fineError);

    [Theory, MemberData(nameof(Cases))]
    public void Fixed_step_global_error_has_the_methods_order(string tableau, string problem)
    {
        var tab = Tableaus.Find(tableau)!;
        var p = FixedStep.Problems().Single(x => x.Name == problem);
        // 128 -> 256 steps: asymptotic for every pair (measured: 4.87..5.19 and 2.98..3.02), errors far above round-off.
        const int coarse = 128;
        var exact = p.Exact(p.TEnd);
        double e1 = FixedStep.MaxAbsDiff(p.Integrate(tab, coarse, null), exact);
        double e2 = FixedStep.MaxAbsDiff(p.Integrate(tab, 2 * coarse, null), exact);
        double order = Order(e1, e2);
        Assert.True(Math.Abs(order - tab.Order) <= 0.2,
            $"{tableau} on {problem}: observed order {order:F3} (errors {e1:E2}, {e2:E2}), expected {tab.Order}");
    }

    [Theory, MemberData(nameof(Cases))]
    public void Dense_output_between_steps_converges_at_the_expected_rate(string tableau, string problem)
    {
        var tab = Tableaus.Find(tableau)!;
        var p = FixedStep.Problems().Single(x => x.Name == problem);
        const int coarse = 128;
        double e1 = MaxDenseError(tab, p, coarse);
        double e2 = MaxDenseError(tab, p, 2 * coarse);
        // Interpolant of order q has local error O(h^(q+1)) on top of the global O(h^p).
        int expected = Math.Min(tab.Order, tab.DenseOrder + 1);
        double order = Order(e1, e2);
        Assert.True(order >= expected - 0.2,
            $"{tableau} on {problem}: dense-output order {order:F3} (errors {e1:E2}, {e2:E2}), expected >= {expected}");
    }

    private static double MaxDenseError(ButcherTableau tab, Problem problem, int steps)
    {
        double worst = 0;
        double[] thetas = [0.17, 0.5, 0.83];
        problem.Integrate(tab, steps, (t, h, y, k) =>
        {
            var result = new double[y.Length];
            foreach (var th in thetas)
            {
                DenseOutput.Evaluate(tab, y, k, h, th, result);
                worst = Math.Max(worst, FixedStep.MaxAbsDiff(result, problem.Exact(t + th * h)));
            }
        });
        return worst;
    }

    [Theory, MemberData(nameof(TableauTests.Names), MemberType = typeof(TableauTests))]
    public void Error_estimate_is_not_smaller_than_the_true_error_on_exponential_growth(string tableau)
    {
        var tab = Tableaus.Find(tableau)!;
        var system = new Exponential();
        foreach (var h in new[] { 0.01, 0.05, 0.1, 0.2, 0.4 })
        {
            var k = new double[tab.Stages];
            k[0] = 1.0;
            var yNew = new double[1];
            var err = new double[1];
            RungeKuttaStepper.Step(ref system, tab, 0, h, [1.0], k, yNew, err, new double[2]);
            double trueError = Math.Abs(yNew[0] - Math.Exp(h));
            Assert.True(Math.Abs(err[0]) >= trueError, $"{tableau}, h = {h}: estimate {Math.Abs(err[0]):E3} < true error {trueError:E3}");
        }
    }
}
