using System.CommandLine;
using System.Runtime.InteropServices;
using Vae.Host.Cli;
using Vae.Runs.Models;
using Vae.Model;

namespace Vae.Host.Commands;

/// <summary>`info`: versions, the native library setup and the thread count, to check an installation.</summary>
public static class InfoCommand
{
    /// <summary>The `info` command.</summary>
    public static Command Create()
    {
        var threads = HostOptions.Threads();
        var cmd = new Command("info", "Check the installation: load libtorch, run a small computation, print versions and threads.");
        cmd.Options.Add(threads);
        cmd.SetAction(parse =>
        {
            var outp = parse.InvocationConfiguration.Output;
            var status = NativeSetup.initialize();
            var n = NativeSetup.configure(HostOptions.ThreadsValue(parse, threads));
            using var scope = TorchSharp.torch.NewDisposeScope();
            var check = TorchSharp.torch.arange(4, TorchSharp.torch.float64).pow(2).sum().item<double>();
            // Float32 denormals times one, over enough values that libtorch's worker threads share the work: all
            // zero when every thread flushes them, as NativeSetup.configure arranges.
            var flushed = (TorchSharp.torch.full(1 << 20, 1e-39f) * 1.0f).count_nonzero().item<long>() == 0;
            outp.WriteLine($"FunctionalVae {typeof(InfoCommand).Assembly.GetName().Version}");
            outp.WriteLine($".NET {RuntimeInformation.FrameworkDescription} on {RuntimeInformation.RuntimeIdentifier}");
            outp.WriteLine($"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}: {NativeSetup.describe(status)}");
            outp.WriteLine($"threads: {n}; denormals flushed to zero: {(flushed ? "yes" : "no")}; check sum(0..3)^2 = {check}");
            var kernelsRight = KernelSelfCheck.Report(outp);
            return check == 14.0 && kernelsRight ? 0 : 1;
        });
        return cmd;
    }
}
