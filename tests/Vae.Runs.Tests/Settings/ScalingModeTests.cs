using Vae.Runs.Settings;

namespace Vae.Runs.Tests.Settings;

/// <summary>The scaling a config names, and the one a config written before the setting existed means.</summary>
public class ScalingModeTests
{
    [Fact]
    public void Configs_written_before_scaling_existed_read_as_per_trace_scaling()
    {
        Assert.Equal(ScalingMode.Trace, TrainConfig.FromJson("{\"dataset\": \"hh\"}").Scaling);
        Assert.Equal(ScalingMode.Trace, TrainConfig.Paper(Dataset.Hh).Scaling);
        Assert.Equal(ScalingMode.Dataset, TrainConfig.FromJson(new TrainConfig { Scaling = ScalingMode.Dataset }.ToJson()).Scaling);
    }
}
