using static TorchSharp.torch;
using Vae.Runs.Data;
using Vae.Runs.Training;

namespace Vae.Runs.Tests.Training;

/// <summary>Why a loss became NaN or infinite: the data's fault or the settings'.</summary>
public class NonFiniteLossCauseTests
{
    [Fact]
    public void Extreme_data_is_blamed_on_the_data_and_a_divergence_on_the_settings()
    {
        TestTorch.Ensure();
        using var extreme = new InMemoryRows(full(4, 3, 1e30f));
        Assert.IsType<InvalidDataException>(NonFiniteLossCause.For(double.NaN, 0, 0, "nothing is kept", extreme));
        using var usual = new InMemoryRows(rand(4, 3));
        var diverged = NonFiniteLossCause.For(double.PositiveInfinity, 2, 17, "the run keeps its last good checkpoint (2 epochs)", usual);
        Assert.IsType<NonFiniteLossException>(diverged);
        Assert.Contains(new Remedy.ChangeSetting("learningRate", "a smaller"), ((NonFiniteLossException)diverged).Remedies);
    }
}
