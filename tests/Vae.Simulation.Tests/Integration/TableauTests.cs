using Vae.Simulation.Integration;

namespace Vae.Simulation.Tests.Integration;

public class TableauTests
{
    public static TheoryData<string> Names() => new(Tableaus.All.Select(t => t.Name));

    private static ButcherTableau Get(string name) => Tableaus.Find(name) ?? throw new InvalidOperationException(name);

    [Theory, MemberData(nameof(Names))]
    public void Weights_sum_to_one(string name)
    {
        var tab = Get(name);
        Assert.Equal(1.0, tab.B.Sum(), 12);
        Assert.Equal(1.0, tab.BHat.Sum(), 12);
        Assert.Equal(0.0, tab.E.Sum(), 12);
    }

    [Theory, MemberData(nameof(Names))]
    public void Row_sums_equal_nodes(string name)
    {
        var tab = Get(name);
        for (int i = 0; i < tab.Stages; i++)
            Assert.Equal(tab.C[i], tab.A[i].Sum(), 12);
    }

    [Theory, MemberData(nameof(Names))]
    public void Dense_output_reproduces_the_step_at_theta_one_and_is_consistent(string name)
    {
        var tab = Get(name);
        // b_i(1) = b_i, and sum_i b_i(theta) = theta (the interpolant integrates y' = 1 exactly).
        for (int i = 0; i < tab.Stages; i++)
            Assert.Equal(tab.B[i], tab.Dense[i].Sum(), 10);
        for (int j = 0; j < tab.DenseDegree; j++)
            Assert.Equal(j == 0 ? 1.0 : 0.0, tab.Dense.Sum(row => row[j]), 10);
    }

    [Theory, MemberData(nameof(Names))]
    public void Weights_satisfy_the_order_conditions_up_to_order_three(string name)
    {
        var tab = Get(name);
        // sum b c = 1/2, sum b c^2 = 1/3, sum b (A c) = 1/6: necessary for any method of order >= 3.
        double bc = 0, bc2 = 0, bac = 0;
        for (int i = 0; i < tab.Stages; i++)
        {
            bc += tab.B[i] * tab.C[i];
            bc2 += tab.B[i] * tab.C[i] * tab.C[i];
            bac += tab.B[i] * tab.A[i].Select((a, j) => a * tab.C[j]).Sum();
        }
        Assert.Equal(0.5, bc, 12);
        Assert.Equal(1.0 / 3, bc2, 12);
        Assert.Equal(1.0 / 6, bac, 12);
    }

    [Fact]
    public void All_shipped_pairs_are_first_same_as_last_and_found_by_name()
    {
        Assert.All(Tableaus.All, t => Assert.True(t.IsFsal, t.Name));
        Assert.Same(Tableaus.DormandPrince54, Tableaus.Find("DP5"));
        Assert.Null(Tableaus.Find("rk4"));
    }

    [Fact]
    public void The_preferred_pair_listed_first_is_the_default()
    {
        Assert.Same(SolverOptions.Default.Tableau, Tableaus.All[0]);
        Assert.Equal(["tsit5", "dp5", "bs3"], Tableaus.All.Select(t => t.Name));
    }
}
