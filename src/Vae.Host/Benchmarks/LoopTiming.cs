using System.Text.Json;
using Vae.Simulation.Storage;

namespace Vae.Host.Benchmarks;

/// <summary>One timed training loop of <c>bench-train</c>: a workload at a batch size, its FLOPs and step times.</summary>
public sealed record LoopTiming(
    string Workload, int Batch, string Loop, long FlopsPerStep, int StepsPerEpoch, double MedianSeconds, double MeanSeconds)
{
    /// <summary>Achieved FLOP/s at the median step.</summary>
    public double Rate => FlopsPerStep / MedianSeconds;
}

/// <summary>
/// The loops one <c>bench-train</c> process timed and the median seconds of its matrix products, as a worker of
/// <c>bench-train --workers</c> hands them to the process that started it.
/// </summary>
public sealed record BenchRun(IReadOnlyList<LoopTiming> Loops, double MatmulMedianSeconds)
{
    /// <summary>Writes the run to <paramref name="path"/> whole (<see cref="AtomicFile"/>).</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this));

    /// <summary>The run written at <paramref name="path"/>.</summary>
    public static BenchRun Read(string path) =>
        JsonSerializer.Deserialize<BenchRun>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} holds no benchmark run");
}
