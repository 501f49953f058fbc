namespace Vae.Runs.Settings;

/// <summary>
/// The allowed values of every numeric option, one per concept: options of the same concept in different commands
/// share their range. The bounds keep a run within what one machine can do in memory and time; they are far beyond
/// the study's settings.
/// </summary>
public static class SettingRanges
{
    /// <summary>CPU threads of one process (--threads, --cpus-per-task): more only slows each other down.</summary>
    public static readonly NumericRange<int> Threads = new(1, 1024);

    /// <summary>Processes side by side on one machine (--workers).</summary>
    public static readonly NumericRange<int> Workers = new(1, 256);

    /// <summary>Seeds of every kind: non-negative 64-bit integers.</summary>
    public static readonly NumericRange<long> Seed = new(0, long.MaxValue);

    /// <summary>Training epochs (--epochs, --stop-after).</summary>
    public static readonly NumericRange<int> Epochs = new(1, 100_000);

    /// <summary>Examples per training step (--batch-size, bench-train --batch).</summary>
    public static readonly NumericRange<int> BatchSize = new(1, 65_536);

    /// <summary>Latent dimensions.</summary>
    public static readonly NumericRange<int> LatentDim = new(1, 4096);

    /// <summary>Initial learning rate.</summary>
    public static readonly NumericRange<double> LearningRate = new(0, 10, MinExclusive: true);

    /// <summary>Weight of the KL term.</summary>
    public static readonly NumericRange<double> Beta = new(0, 1e6);

    /// <summary>Decoupled weight decay (multiplied by the learning rate).</summary>
    public static readonly NumericRange<double> WeightDecay = new(0, 100);

    /// <summary>MNIST binarization threshold: pixel values are 0..255 and a pixel &gt;= threshold is 1.</summary>
    public static readonly NumericRange<int> Threshold = new(1, 255);

    /// <summary>Traces of a simulated dataset (a million traces is some gigabytes).</summary>
    public static readonly NumericRange<int> Traces = new(1, 1_000_000);

    /// <summary>Traces of a training dataset: at least one train and one test trace.</summary>
    public static readonly NumericRange<int> TrainingTraces = new(2, Traces.Max);

    /// <summary>Samples drawn from the prior by generate (all held in memory and drawn into one figure).</summary>
    public static readonly NumericRange<int> Samples = new(1, 100_000);

    /// <summary>A trace of a dataset file, 0-based (up to the largest dataset, <see cref="Traces"/>).</summary>
    public static readonly NumericRange<int> TraceIndex = new(0, Traces.Max - 1);

    /// <summary>Importance samples per test image of the likelihood bound.</summary>
    public static readonly NumericRange<int> ImportanceSamples = new(1, 100_000);

    /// <summary>Benchmark steps or runs that may be zero (--steps, --warmup, --check).</summary>
    public static readonly NumericRange<int> BenchmarkCount = new(0, 1_000_000);

    /// <summary>Timed benchmark runs (--repeat).</summary>
    public static readonly NumericRange<int> BenchmarkRepeats = new(1, 1000);

    /// <summary>Slurm time limit as a multiple of the estimated time.</summary>
    public static readonly NumericRange<double> TimeFactor = new(0, 100, MinExclusive: true);

    /// <summary>Maximal conductances gK and gNa in mS/cm2 (the study's are below 200).</summary>
    public static readonly NumericRange<double> Conductance = new(0, 10_000);

    /// <summary>Relative tolerance of the integrator: below 1e-14 double precision cannot deliver it.</summary>
    public static readonly NumericRange<double> RelativeTolerance = new(1e-14, 1);

    /// <summary>Absolute tolerance of the integrator, in the units of the state (mV and gating fractions).</summary>
    public static readonly NumericRange<double> AbsoluteTolerance = new(0, 1);

    /// <summary>Standard deviation of the measurement noise on V (mV): beyond 50 mV a trace is noise, not a spike train.</summary>
    public static readonly NumericRange<double> MeasurementNoise = new(0, 50);

    /// <summary>Intensity of the noise current (uA/cm2 sqrt(ms)): a few already make the cell fire at random.</summary>
    public static readonly NumericRange<double> IntrinsicNoise = new(0, 50);

    /// <summary>Correlation time of coloured noise (ms); 0 = white; longer than any protocol's recording is pointless.</summary>
    public static readonly NumericRange<double> NoiseTau = new(0, 10_000);

    /// <summary>Fixed step of the stochastic integrator (ms); it must also divide the protocol's output grid.</summary>
    public static readonly NumericRange<double> SdeStep = new(1e-4, 1);
}
