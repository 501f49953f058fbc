namespace Vae.Runs.Settings;

/// <summary>How training examples are ordered into batches across epochs.</summary>
public enum ShuffleMode
{
    /// <summary>A new shuffle every epoch.</summary>
    Epoch,
    /// <summary>One shuffle, used for every epoch (the original MNIST runs).</summary>
    Fixed,
    /// <summary>Dataset order (the original HH runs).</summary>
    None,
}
