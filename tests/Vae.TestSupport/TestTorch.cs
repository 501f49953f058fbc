using Vae.Model;

namespace Vae.TestSupport;

/// <summary>libtorch for tests that build tensors directly rather than through a command.</summary>
public static class TestTorch
{
    /// <summary>Loads libtorch (idempotent).</summary>
    public static void Ensure() => NativeSetup.initialize();
}
