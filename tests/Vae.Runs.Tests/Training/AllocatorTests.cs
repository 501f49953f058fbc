using Vae.Model;

namespace Vae.Runs.Tests.Training;

public class AllocatorTests
{
    // A process-wide malloc setting: tested here, where the training tests' runs (RunLauncher) apply it anyway,
    // rather than in the model tests, whose other tests would then run under it.
    [Fact]
    public void Training_runs_reuse_large_allocations_on_glibc_Linux()
    {
        Assert.Equal(OperatingSystem.IsLinux(), NativeSetup.reuseLargeAllocations());
    }
}
