using Vae.Host.Cli;

namespace Vae.Host.Tests;

public class HostCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Help_lists_the_commands_and_the_root_training_options()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(ExitCodes.Ok, code);
        foreach (var expected in new[] { "info", "--beta", "--latent-dim", "--dataset", "--model", "--threads" })
            Assert.Contains(expected, output);
    }

    [Theory]
    [InlineData("--beta", "-1", "--beta: -1 is out of range")]
    [InlineData("--latent-dim", "0", "--latent-dim: 0 is out of range")]
    [InlineData("--epochs", "0", "--epochs: 0 is out of range")]
    [InlineData("--dataset", "cifar", "cifar")]
    [InlineData("--no-such-option", "1", "--no-such-option")]
    public void Bad_input_gives_a_one_line_error_and_exit_code_2(string option, string value, string mentioned)
    {
        var (code, _, err) = Run(option, value);
        Assert.Equal(ExitCodes.BadInput, code);
        var first = err.Split('\n')[0];
        Assert.StartsWith("error: ", first);
        Assert.Contains(mentioned, first);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Info_loads_libtorch_and_computes()
    {
        var (code, output, err) = Run("info", "--threads", "1");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("threads: 1", output);
        Assert.Contains("= 14", output);
    }

    [Fact]
    public void Data_mnist_with_a_missing_folder_is_bad_input()
    {
        var dataDir = Directory.CreateTempSubdirectory("fvae-data-").FullName;
        try
        {
            var (code, _, err) = Run("data", "mnist", "--mnist-dir", "/no/such/folder", "--data-dir", dataDir);
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.StartsWith("error: the MNIST folder /no/such/folder does not exist; pass --mnist-dir <folder>", err);
        }
        finally
        {
            Directory.Delete(dataDir, true);
        }
    }

    [Theory]
    [InlineData("--digits", "0,x")]
    [InlineData("--digits", "10")]
    [InlineData("--threshold", "0")]
    public void Data_mnist_rejects_bad_digits_and_thresholds(string option, string value)
    {
        var (code, _, err) = Run("data", "mnist", option, value);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(option, err.Split('\n')[0]);
    }
}
