using Vae.Host.Cli;

using var interruption = Interruption.Listen(Console.Error);
return HostCli.Run(args, cancel: interruption.Token);
