using Vae.Host.Cli;

namespace Vae.Host.Tests.BadInput;

/// <summary>`infer fit` and `infer` against bad input: one error line, exit 2, and nothing written or changed.</summary>
public class InferCases
{
    private const int Bad = ExitCodes.BadInput;

    // Estimators of sbi's statistics and of the embedding network fitted once per test process on the 40 tiny traces,
    // copied into each sandbox.
    private static Lazy<string> FitOnce(string representation) => new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("fvae-tinyestimator-").FullName;
        var (code, _, err) = CliRunner.Run("infer", "fit", Path.Combine(TinyRuns.Dir, "d40.h5"), "--representation", representation,
            "--estimator", "mdn", "--max-epochs", "3", "--threads", "1", "--out", Path.Combine(dir, "est"));
        return code == 0 ? Path.Combine(dir, "est") : throw new InvalidOperationException($"infer fit: exit {code}: {err}");
    });

    private static readonly Dictionary<string, Lazy<string>> Fitted = new() { ["sbi"] = FitOnce("sbi"), ["embedding"] = FitOnce("embedding") };

    private static void Estimator(Sandbox b) => Estimator(b, "sbi");

    private static void Estimator(Sandbox b, string representation)
    {
        Directory.CreateDirectory(b.At("est"));
        var fitted = Fitted[representation].Value;
        foreach (var f in Directory.EnumerateFiles(fitted, "*", SearchOption.AllDirectories))
        {
            var to = b.At(Path.Join("est", Path.GetRelativePath(fitted, f)));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        TinyRuns.Data(b);
    }

    private static string Trace(int samples, Func<int, string> value) =>
        "V_mV\n" + string.Concat(Enumerable.Range(0, samples).Select(k => value(k) + "\n"));

    /// <summary>The cases.</summary>
    public static TheoryData<BadInputCase> Cases() => new(
        new BadInputCase("infer fit of the latent means on a dataset file", b => ["infer", "fit", b.At("d.h5"), "--out", b.At("e")], Bad,
            "needs a trained run's encoder")
        { Setup = b => TinyRuns.Data(b) },
        new BadInputCase("infer fit into a folder the user filled",
            b => ["infer", "fit", b.At("d.h5"), "--representation", "efel", "--out", b.At("mine")], Bad, "is not empty")
        { Setup = b => { TinyRuns.Data(b); b.Write("mine/notes.txt", "kept"); } },
        new BadInputCase("infer fit over a finished estimator",
            b => ["infer", "fit", b.At("d.h5"), "--representation", "sbi", "--estimator", "mdn", "--out", b.At("est")], Bad,
            "already holds an estimator; choose another --out")
        { Setup = Estimator },
        new BadInputCase("infer fit --estimator nosuch", b => ["infer", "fit", b.At("d.h5"), "--estimator", "nosuch", "--out", b.At("e")], Bad,
            "nosuch")
        { Setup = b => TinyRuns.Data(b) },
        new BadInputCase("infer from a folder without an estimator", b => ["infer", b.At("none"), "--observation", b.At("d.h5")], Bad,
            "holds no estimator")
        { Setup = b => TinyRuns.Data(b) },
        new BadInputCase("infer on a trace of another length", b => ["infer", b.At("est"), "--observation", b.At("short.csv")], Bad,
            "has 4000 samples but protocol 'report' records 5000")
        { Setup = b => { Estimator(b); b.Write("short.csv", Trace(4000, _ => "-65")); } },
        new BadInputCase("infer with the embedding network on a trace of another length",
            b => ["infer", b.At("est"), "--observation", b.At("short.csv")], Bad, "has 4000 samples but protocol 'report' records 5000")
        { Setup = b => { Estimator(b, "embedding"); b.Write("short.csv", Trace(4000, _ => "-65")); } },
        new BadInputCase("infer on a trace with NaN", b => ["infer", b.At("est"), "--observation", b.At("nan.csv")], Bad,
            "non-finite value (NaN) at sample 3")
        { Setup = b => { Estimator(b); b.Write("nan.csv", Trace(5000, k => k == 3 ? "NaN" : "-65")); } },
        new BadInputCase("infer on a trace scaled to [0, 1]", b => ["infer", b.At("est"), "--observation", b.At("scaled.csv")], Bad,
            "not mV")
        { Setup = b => { Estimator(b); b.Write("scaled.csv", Trace(5000, k => k % 500 < 20 ? "1" : "0.1")); } },
        new BadInputCase("infer on a dataset file without --trace", b => ["infer", b.At("est"), "--observation", b.At("d.h5")], Bad,
            "choose one with --trace i (0 .. 39)")
        { Setup = Estimator },
        new BadInputCase("infer --trace beyond the file", b => ["infer", b.At("est"), "--observation", b.At("d.h5"), "--trace", "40"], Bad,
            "is not a trace of")
        { Setup = Estimator },
        new BadInputCase("infer over an earlier posterior", b => ["infer", b.At("est"), "--observation", b.At("d.h5"), "--trace", "1",
            "--out", b.At("post")], Bad, "already exists")
        { Setup = b => { Estimator(b); b.Write("post/posterior.csv", "kept"); } },
        new BadInputCase("infer --samples 0", b => ["infer", b.At("est"), "--observation", b.At("d.h5"), "--samples", "0"], Bad,
            "--samples: 0 is out of range")
        { Setup = Estimator });

    [Theory, MemberData(nameof(Cases))]
    public void Fails_cleanly(BadInputCase c) => BadInputRunner.Check(c);

    [Theory, InlineData("sbi"), InlineData("embedding")]
    public void Infer_writes_its_posterior_and_says_each_parameter(string representation)
    {
        using var b = new Sandbox();
        Estimator(b, representation);
        var (code, output, err) = CliRunner.Run("infer", b.At("est"), "--observation", b.At("d.h5"), "--trace", "39", "--samples", "300");
        Assert.True(code == 0, err);
        Assert.Contains("gK (mS/cm2): mean", output);
        Assert.Contains("90 % credible interval", output);
        foreach (var f in new[] { "posterior.h5", "posterior.csv", "pair.png", "predictive.png" })
            Assert.True(File.Exists(b.At($"est/posterior-d-trace39/{f}")), f);
        Assert.Equal(301, File.ReadAllLines(b.At("est/posterior-d-trace39/posterior.csv")).Length);
    }
}
