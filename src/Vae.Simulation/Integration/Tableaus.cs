namespace Vae.Simulation.Integration;

/// <summary>The Runge-Kutta pairs this library ships, by name.</summary>
public static class Tableaus
{
    /// <summary>
    /// Dormand-Prince 5(4) (Dormand and Prince 1980) with Shampine's quartic dense output (1986), the pair of
    /// MATLAB's ode45 and scipy's RK45.
    /// </summary>
    public static ButcherTableau DormandPrince54 { get; } = new(
        "dp5", order: 5, embeddedOrder: 4, denseOrder: 4,
        c: [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1],
        a:
        [
            [],
            [1.0 / 5],
            [3.0 / 40, 9.0 / 40],
            [44.0 / 45, -56.0 / 15, 32.0 / 9],
            [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
            [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
            [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
        ],
        b: [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0],
        bHat: [5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40],
        dense:
        [
            [1, -8048581381.0 / 2820520608, 8663915743.0 / 2820520608, -12715105075.0 / 11282082432],
            [0, 0, 0, 0],
            [0, 131558114200.0 / 32700410799, -68118460800.0 / 10900136933, 87487479700.0 / 32700410799],
            [0, -1754552775.0 / 470086768, 14199869525.0 / 1410260304, -10690763975.0 / 1880347072],
            [0, 127303824393.0 / 49829197408, -318862633887.0 / 49829197408, 701980252875.0 / 199316789632],
            [0, -282668133.0 / 205662961, 2019193451.0 / 616988883, -1453857185.0 / 822651844],
            [0, 40617522.0 / 29380423, -110615467.0 / 29380423, 69997945.0 / 29380423],
        ]);

    /// <summary>
    /// Tsitouras 5(4) (Tsitouras 2011), a pair with smaller error constants than Dormand-Prince and the same cost,
    /// with its quartic dense output.
    /// </summary>
    public static ButcherTableau Tsitouras54 { get; } = new(
        "tsit5", order: 5, embeddedOrder: 4, denseOrder: 4,
        c: [0, 0.161, 0.327, 0.9, 0.9800255409045097, 1, 1],
        a:
        [
            [],
            [0.161],
            [-0.008480655492356989, 0.335480655492357],
            [2.8971530571054935, -6.359448489975075, 4.3622954328695815],
            [5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525],
            [5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383],
            [0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774],
        ],
        b: [0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774, 0],
        bHat: [0.09468075576583945, 0.009183565540343254, 0.4877705284247616, 1.234297566930479, -2.7077123499835256,
            1.866628418170587, 1.0 / 66],
        dense:
        [
            [1.0, -2.763706197274826, 2.9132554618219126, -1.0530884977290216],
            [0, 0.13169999999999998, -0.2234, 0.1017],
            [0, 3.9302962368947516, -5.941033872131505, 2.490627285651253],
            [0, -12.411077166933676, 30.33818863028232, -16.548102889244902],
            [0, 37.50931341651104, -88.1789048947664, 47.37952196281928],
            [0, -27.896526289197286, 65.09189467479366, -34.87065786149661],
            [0, 1.5, -4, 2.5],
        ]);

    /// <summary>
    /// Bogacki-Shampine 3(2) (1989) with cubic Hermite dense output, the pair of MATLAB's ode23: cheap per step,
    /// for loose tolerances.
    /// </summary>
    public static ButcherTableau BogackiShampine32 { get; } = new(
        "bs3", order: 3, embeddedOrder: 2, denseOrder: 3,
        c: [0, 1.0 / 2, 3.0 / 4, 1],
        a:
        [
            [],
            [1.0 / 2],
            [0, 3.0 / 4],
            [2.0 / 9, 1.0 / 3, 4.0 / 9],
        ],
        b: [2.0 / 9, 1.0 / 3, 4.0 / 9, 0],
        bHat: [7.0 / 24, 1.0 / 4, 1.0 / 3, 1.0 / 8],
        dense:
        [
            [1, -4.0 / 3, 5.0 / 9],
            [0, 1, -2.0 / 3],
            [0, 4.0 / 3, -8.0 / 9],
            [0, -1, 1],
        ]);

    /// <summary>
    /// Every shipped tableau, in order of preference for HH traces: first the default of <see cref="SolverOptions"/>
    /// (Tsitouras 5(4): a given accuracy for the fewest evaluations, docs/simulation.md), then Dormand-Prince 5(4),
    /// then Bogacki-Shampine 3(2) for loose tolerances.
    /// </summary>
    public static IReadOnlyList<ButcherTableau> All { get; } = [Tsitouras54, DormandPrince54, BogackiShampine32];

    /// <summary>The tableau with this <see cref="ButcherTableau.Name"/>, or null.</summary>
    public static ButcherTableau? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
