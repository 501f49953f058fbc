namespace Vae.Host.Cli;

/// <summary>Process exit codes of the host, the same for every command.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>The run failed for a reason other than its input (a numerical failure, a native error).</summary>
    public const int Failure = 1;
    /// <summary>Bad input: unknown option, invalid value, missing or corrupt file, unwritable output.</summary>
    public const int BadInput = 2;
    /// <summary>Stopped by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it); a training run can be resumed.</summary>
    public const int Interrupted = 130;
}
