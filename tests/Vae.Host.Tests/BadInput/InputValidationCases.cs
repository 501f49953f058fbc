using Vae.Host.Cli;

namespace Vae.Host.Tests.BadInput;

/// <summary>
/// Bad input and a bad environment give one <c>error:</c> line and exit 2 (never "This is a bug", never a stack
/// trace) and leave the sandbox as it was; a few inputs that already worked still do.
/// </summary>
public class InputValidationCases
{
    private const int Bad = ExitCodes.BadInput;

    private static BadInputCase Case(string name, Func<Sandbox, string[]> args, string error, int code = Bad) => new(name, args, code, error);

    /// <summary>The table: one case per defect instance.</summary>
    public static TheoryData<BadInputCase> Cases() => new()
    {
        // An empty selection is refused, not read as "everything".
        Case("reproduce --only empty", b => ["reproduce", "--only", "", "--out", b.At("exp"), "--data-dir", b.At("data")], "--only is empty"),
        // Unparseable and out-of-range numbers: a parse error naming option, value and range.
        Case("--epochs abc", b => ["--epochs", "abc", "--out", b.At("run")], "--epochs: 'abc' is not a whole number; allowed: 1..100000"),
        Case("--epochs overflow", b => ["--epochs", "99999999999", "--out", b.At("run")], "--epochs: 99999999999 is out of range"),
        Case("--lr inf", b => ["--lr", "inf", "--out", b.At("run")], "--lr: 'inf'"),
        Case("--beta inf", b => ["--beta", "inf", "--out", b.At("run")], "--beta: 'inf'"),
        Case("--latent-dim 1.5", b => ["--latent-dim", "1.5", "--out", b.At("run")], "--latent-dim: '1.5' is not a whole number"),
        Case("--seed 1e3", b => ["--seed", "1e3", "--out", b.At("run")], "--seed: '1e3' is not a whole number"),
        // A model for the other kind of data: refused before any run folder or dataset exists.
        Case("--model resconv for mnist", b => ["--dataset", "mnist", "--model", "resconv", "--out", b.At("run"), "--data-dir", b.At("data")],
            "--model \"resconv\": allowed one of mlp, dnn, conv for mnist data."),
        Case("--likelihood bernoulli for hh", b => ["--likelihood", "bernoulli", "--out", b.At("run"), "--data-dir", b.At("data")],
            "--likelihood \"bernoulli\": allowed one of"),
        // Training noise: beyond its range, on MNIST, or a correlation time without noise.
        Case("--train-noise-sigma 60", b => ["--train-noise-sigma", "60", "--out", b.At("run")],
            "--train-noise-sigma: 60 is out of range; allowed: 0..50"),
        Case("--train-noise-sigma for mnist",
            b => ["--dataset", "mnist", "--train-noise-sigma", "1", "--out", b.At("run"), "--data-dir", b.At("data")],
            "--train-noise-sigma 1: allowed 0 for mnist data"),
        Case("--train-noise-tau without sigma", b => ["--train-noise-tau", "2", "--out", b.At("run"), "--data-dir", b.At("data")],
            "--train-noise-tau 2: allowed 0 when the noise's sigma is 0"),
        Case("config trainNoiseSigmaMv 99", b => ["evaluate", b.At("run"), "--data-dir", b.At("data")], "\"trainNoiseSigmaMv\" is 99, allowed 0..50")
            with { Setup = b => RunFixtures.ConfigOnly(b, c => c["trainNoiseSigmaMv"] = 99) },
        Case("simulate --n 1e3", b => ["simulate", "--n", "1e3", "--out", b.At("x.h5")], "--n: '1e3' is not a whole number"),
        Case("info --threads 100000", _ => ["info", "--threads", "100000"], "--threads: 100000 is out of range; allowed: 1..1024"),
        Case("reproduce --workers 100000", b => ["reproduce", "plan", "--workers", "100000", "--out", b.At("exp")],
            "--workers: 100000 is out of range"),
        Case("generate --n 2000000", b => ["generate", b.At("run"), "--n", "2000000"], "--n: 2000000 is out of range"),
        Case("bench-train --batch 1e9", _ => ["bench-train", "--batch", "1000000000"], "--batch: 1000000000 is out of range"),
        Case("bench-train --batch above the epoch", _ => ["bench-train", "--model", "mlp", "--batch", "30000", "--steps", "1"],
            "larger than the 24754 examples"),
        // Empty paths.
        Case("--out empty", _ => ["--out", ""], "--out is empty"),
        Case("--hh-data empty", b => ["--hh-data", "", "--out", b.At("run")], "--hh-data is empty"),
        Case("--resume empty", _ => ["--resume", ""], "--resume is empty"),
        Case("generate --out empty", b => ["generate", b.At("run"), "--out", ""], "--out is empty"),
        Case("simulate --out empty", _ => ["simulate", "--n", "2", "--out", ""], "--out is empty"),
        Case("features empty dataset", _ => ["features", ""], "the data argument is empty"),
        Case("evaluate empty run", _ => ["evaluate", ""], "the run argument is empty"),
        // Damaged run folders.
        Case("--resume corrupt checkpoint", b => ["--resume", b.At("run"), "--data-dir", b.At("data")], "last.safetensors is damaged")
            with { Setup = b => { RunFixtures.Train(b, paused: true); RunFixtures.Garble(b, "run/checkpoints/last.safetensors"); } },
        Case("--resume without metrics.csv", b => ["--resume", b.At("run"), "--data-dir", b.At("data")], "no metrics.csv")
            with { Setup = b => { RunFixtures.Train(b, paused: true); File.Delete(b.At("run/metrics.csv")); } },
        Case("config model transformer", b => ["evaluate", b.At("run"), "--data-dir", b.At("data")],
            "\"model\" is \"transformer\", allowed mlp, dnn, conv, resconv")
            with { Setup = b => RunFixtures.ConfigOnly(b, c => c["model"] = "transformer") },
        Case("config latentDim -3", b => ["evaluate", b.At("run"), "--data-dir", b.At("data")], "\"latentDim\" is -3, allowed 1..4096")
            with { Setup = b => RunFixtures.ConfigOnly(b, c => c["latentDim"] = -3) },
        Case("config.json is []", b => ["evaluate", b.At("run"), "--data-dir", b.At("data")], "has no \"config\" object")
            with { Setup = b => b.Write("run/config.json", "[]") },
        Case("NaN weights", b => ["evaluate", b.At("run"), "--data-dir", b.At("data")], "weights that are not finite")
            with { Setup = b => { RunFixtures.Train(b); RunFixtures.PoisonFirstWeight(b.At("run/model.safetensors")); } },
        Case("corrupt model file", b => ["evaluate", b.At("run"), "--data-dir", b.At("data")], "model.safetensors is damaged")
            with { Setup = b => { RunFixtures.Train(b); RunFixtures.Garble(b, "run/model.safetensors"); } },
        Case("model of another shape", b => ["evaluate", b.At("run"), "--data-dir", b.At("data")], "expected Float32 [")
            with { Setup = b => { RunFixtures.Train(b); RunFixtures.EditConfig(b, c => c["latentDim"] = 3); } },
        // Clearer messages.
        Case("--hh-data a folder", b => ["--hh-data", b.Dir, "--out", b.At("run")], "is a folder"),
        Case("features on a folder", b => ["features", b.Dir], "is a folder"),
        Case("evaluate with its dataset gone", b => ["evaluate", b.At("run"), "--data-dir", b.At("data")],
            "does not exist; create one with `simulate")
            with { Setup = b => RunFixtures.ConfigOnly(b, c => c["hhData"] = b.At("gone.h5")) },
        Case("unknown choice", b => ["--model", "transformer", "--out", b.At("run")],
            "--model: 'transformer' not recognized. Must be one of: 'mlp', 'dnn', 'conv'"),
        Case("--resume with --out", b => ["--resume", b.At("run"), "--out", b.At("other"), "--data-dir", b.At("data")], "drop --out")
            with { Setup = b => RunFixtures.ConfigOnly(b, _ => { }) },
        // Inputs that already worked.
        Case("info", _ => ["info", "--threads", "1"], "", ExitCodes.Ok),
        Case("help", _ => ["reproduce", "--help"], "", ExitCodes.Ok),
        Case("simulate-trace", b => ["simulate-trace", "--out", b.At("t.csv"), "--gk", "36.5"], "", ExitCodes.Ok)
            with { Leaves = (b, _) => Assert.True(File.Exists(b.At("t.csv"))) },
    };

    /// <summary>Runs one case of the table.</summary>
    [Theory, MemberData(nameof(Cases))]
    public void Fails_cleanly(BadInputCase c) => BadInputRunner.Check(c);
}
