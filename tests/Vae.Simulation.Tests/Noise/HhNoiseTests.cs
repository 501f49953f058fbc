using Vae.Simulation.Noise;
using Vae.Simulation.Protocols;

namespace Vae.Simulation.Tests.Noise;

public class HhNoiseTests
{
    [Fact]
    public void None_is_none_and_valid_for_every_protocol()
    {
        Assert.True(HhNoise.None.IsNone);
        Assert.Equal("none", HhNoise.None.ToString());
        foreach (var p in HhProtocol.All)
            HhNoise.None.Validate(p);
    }

    [Theory]
    [InlineData(-1, 0, 0, 0, 0.01, "measurement noise sigma")]
    [InlineData(51, 0, 0, 0, 0.01, "measurement noise sigma")]
    [InlineData(1, -1, 0, 0, 0.01, "measurement noise tau")]
    [InlineData(0, 0, -0.5, 0, 0.01, "intrinsic noise sigma")]
    [InlineData(0, 0, 1, -2, 0.01, "intrinsic noise tau")]
    [InlineData(0, 0, 1, 0, 0.02, "SDE step must be between")]
    [InlineData(0, 0, 1, 0, 0, "SDE step must be between")]
    [InlineData(0, 0, 1, 0, 0.003, "must divide the output grid")]
    [InlineData(double.NaN, 0, 0, 0, 0.01, "measurement noise sigma")]
    public void Invalid_noise_is_an_input_error_naming_the_value(double ms, double mt, double isg, double it, double step, string message)
    {
        var e = Assert.Throws<SimulationInputException>(() => new HhNoise(ms, mt, isg, it, step, 0).Validate(HhProtocol.Report));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_step_matters_only_with_intrinsic_noise_and_must_fit_the_grid()
    {
        // Figure 2.6 samples every 0.025 ms: 0.01 does not divide it, 0.005 does.
        new HhNoise(1, 0, 0, 0, 0.01, 0).Validate(HhProtocol.Figure26);
        Assert.Throws<SimulationInputException>(() => new HhNoise(0, 0, 1, 0, 0.01, 0).Validate(HhProtocol.Figure26));
        new HhNoise(0, 0, 1, 0, 0.005, 0).Validate(HhProtocol.Figure26);
        Assert.Contains("intrinsic 1 uA/cm2 sqrt(ms) white", new HhNoise(0, 0, 1, 0, 0.005, 0).ToString());
        Assert.Contains("measurement 2 mV tau 3 ms", new HhNoise(2, 3, 0, 0, 0.01, 9).ToString());
    }
}
