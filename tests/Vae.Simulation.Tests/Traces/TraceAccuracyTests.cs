using Vae.Simulation.Integration;
using Vae.Simulation.Protocols;
using Vae.Simulation.Traces;
using Xunit.Abstractions;

namespace Vae.Simulation.Tests.Traces;

public class TraceAccuracyTests(ITestOutputHelper output)
{
    private static readonly SolverOptions Reference = new() { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14 };

    // Corners and the middle of the report's parameter box, two of the original study's draws, and random draws.
    private static readonly Conductances[] Cells =
    [
        new(26, 110), new(46, 130), new(26, 130), new(46, 110), new(36, 120),
        new(34.54186591292219, 123.62278257699786), new(45.020481824915855, 113.44413889434456),
        .. Vae.Simulation.Datasets.ParameterSampler.DrawMany(HhProtocol.Report, 2024, 25),
    ];

    // The default pair at the default tolerance, and Dormand-Prince 5(4) at the tolerance it needs for the same accuracy.
    public static TheoryData<string, string, double> Cases() => new()
    {
        { "report", SolverOptions.Default.Tableau.Name, SolverOptions.DefaultRelativeTolerance },
        { "seed-code", SolverOptions.Default.Tableau.Name, SolverOptions.DefaultRelativeTolerance },
        { "report", "dp5", 5e-8 },
        { "seed-code", "dp5", 5e-8 },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Batch_traces_match_a_tight_reference_to_a_thousandth_of_a_millivolt(string protocolName, string tableau, double rtol)
    {
        var protocol = HhProtocol.FromName(protocolName);
        var options = new SolverOptions { Tableau = Tableaus.Find(tableau)!, RelativeTolerance = rtol };
        var batch = new double[Cells.Length][];
        long rhs = 0;
        new HhBatchIntegrator(protocol, options).Run(Cells, 0, (i, v, r) =>
        {
            Assert.Equal(ReturnCode.Success, r.Code);
            batch[i] = v.ToArray();
            rhs += r.Statistics.RhsEvaluations;
        });
        double worstV = 0, worstSpike = 0;
        int spikes = 0;
        for (int i = 0; i < Cells.Length; i++)
        {
            var reference = new double[protocol.ScalingSampleCount];
            Assert.Equal(ReturnCode.Success, TraceSimulator.SimulateVoltage(protocol, Cells[i], Reference, reference).Code);
            for (int j = 0; j < reference.Length; j++)
                worstV = Math.Max(worstV, Math.Abs(batch[i][j] - reference[j]));
            var tRef = SpikeDetection.Times(reference, protocol.OutputDtMs);
            var tGot = SpikeDetection.Times(batch[i], protocol.OutputDtMs);
            Assert.Equal(tRef.Length, tGot.Length);
            spikes += tRef.Length;
            for (int j = 0; j < tRef.Length; j++)
                worstSpike = Math.Max(worstSpike, Math.Abs(tRef[j] - tGot[j]));
        }
        output.WriteLine($"{protocolName}/{tableau} at rtol {rtol}: max |V - Vref| = {worstV:E2} mV, "
            + $"max spike-time error = {worstSpike:E2} ms over {spikes} spikes, {rhs / Cells.Length} RHS evaluations per trace");
        Assert.True(spikes >= Cells.Length, "every cell should fire at least once");
        Assert.True(worstV <= 1e-3, $"max |V - Vref| = {worstV:E3} mV");
        Assert.True(worstSpike <= 1e-5, $"max spike-time error = {worstSpike:E3} ms");
    }

    [Fact]
    public void Batch_traces_of_the_third_order_pair_converge_to_the_reference()
    {
        // Bogacki-Shampine 3(2) exercises the cubic dense output; its error falls about tenfold per decade of rtol.
        var protocol = HhProtocol.Report;
        double Error(double rtol)
        {
            double worst = 0;
            var options = new SolverOptions { Tableau = Tableaus.BogackiShampine32, RelativeTolerance = rtol };
            new HhBatchIntegrator(protocol, options).Run(Cells.AsSpan(0, 8), 0, (i, v, r) =>
            {
                var reference = new double[protocol.ScalingSampleCount];
                TraceSimulator.SimulateVoltage(protocol, Cells[i], Reference, reference);
                for (int j = 0; j < reference.Length; j++)
                    worst = Math.Max(worst, Math.Abs(v[j] - reference[j]));
            });
            return worst;
        }
        double loose = Error(1e-5), tight = Error(1e-7);
        output.WriteLine($"report/bs3: max |V - Vref| = {loose:E2} mV at rtol 1e-5, {tight:E2} mV at rtol 1e-7");
        Assert.True(loose / tight > 30, $"{loose:E2} -> {tight:E2}");
        Assert.True(tight < 2e-2, $"{tight:E2} mV");
    }

    [Fact]
    public void Generic_driver_at_default_tolerances_also_matches_the_reference()
    {
        var protocol = HhProtocol.Report;
        double worst = 0;
        foreach (var cell in Cells.Take(4))
        {
            var got = new double[protocol.ScalingSampleCount];
            var reference = new double[protocol.ScalingSampleCount];
            TraceSimulator.SimulateVoltage(protocol, cell, new SolverOptions(), got);
            TraceSimulator.SimulateVoltage(protocol, cell, Reference, reference);
            worst = Math.Max(worst, got.Zip(reference, (a, b) => Math.Abs(a - b)).Max());
        }
        output.WriteLine($"generic driver, report with the default options: max |V - Vref| = {worst:E2} mV");
        Assert.True(worst <= 1e-3, $"{worst:E3} mV");
    }

    [Fact]
    public void A_trace_does_not_depend_on_the_traces_beside_it()
    {
        // Six traces in four lanes (two lanes are refilled), in two orders, against each trace solved alone: every
        // sample and every counter equal, and every trace reported exactly once.
        var integrator = new HhBatchIntegrator(HhProtocol.Report, new SolverOptions());
        Conductances[] cells = [Cells[0], Cells[1], Cells[4], Cells[2], Cells[3], Cells[5]];
        (double[] V, SolveResult Result)[] RunAll(Conductances[] batch)
        {
            var got = new (double[] V, SolveResult Result)[batch.Length];
            integrator.Run(batch, 0, (i, v, r) =>
            {
                Assert.Null(got[i].V);
                got[i] = (v.ToArray(), r);
            });
            Assert.All(got, g => Assert.Equal(ReturnCode.Success, g.Result.Code));
            return got;
        }
        var together = RunAll(cells);
        var reversed = RunAll([.. cells.Reverse()]);
        for (int i = 0; i < cells.Length; i++)
        {
            var alone = RunAll([cells[i]])[0];
            Assert.Equal(alone.V, together[i].V);
            Assert.Equal(alone.V, reversed[cells.Length - 1 - i].V);
            Assert.Equal(alone.Result, together[i].Result);
            Assert.Equal(alone.Result, reversed[cells.Length - 1 - i].Result);
        }
    }
}

public class BatchStoppingTests
{
    [Fact]
    public void Batch_and_generic_driver_stop_at_the_same_step_limit()
    {
        // One stopping rule (StepLimits) for both: the solve ends before attempt MaxSteps + 1, wherever it is.
        var options = new SolverOptions { MaxSteps = 50 };
        var protocol = HhProtocol.Report;
        var results = new SolveResult[3];
        Conductances[] cells = [new(36, 120), new(26, 110), new(46, 130)];
        new HhBatchIntegrator(protocol, options).Run(cells, 0, (i, v, r) => results[i] = r);
        for (int i = 0; i < cells.Length; i++)
        {
            var generic = TraceSimulator.SimulateVoltage(protocol, cells[i], options, new double[protocol.ScalingSampleCount]);
            foreach (var r in new[] { results[i], generic })
            {
                Assert.Equal(ReturnCode.MaxStepsExceeded, r.Code);
                Assert.Equal(50, r.Statistics.AcceptedSteps + r.Statistics.RejectedSteps);
                Assert.InRange(r.Time, 1.0, protocol.EndTime - 1);
            }
        }
    }
}

public class TraceQueueTests
{
    [Fact]
    public void Every_index_is_handed_out_exactly_once_across_threads()
    {
        var queue = new TraceQueue(10_000);
        var seen = new int[10_000];
        Parallel.For(0, 4, _ =>
        {
            while (queue.TryTake(out int i)) Interlocked.Increment(ref seen[i]);
        });
        Assert.All(seen, c => Assert.Equal(1, c));
        Assert.False(queue.TryTake(out int none));
        Assert.Equal(-1, none);
    }
}
