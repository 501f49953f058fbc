using Vae.Simulation;
using Vae.Simulation.Storage;

namespace Vae.Simulation.Tests.Storage;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-atomic-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    [Fact]
    public void A_missing_folder_is_an_error_unless_asked_to_create_it()
    {
        var path = Path.Combine(_tmp, "a", "b", "f.txt");
        Assert.Throws<SimulationInputException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.False(Directory.Exists(Path.Combine(_tmp, "a")));
        AtomicFile.WriteAllText(path, "héllo", createFolder: true);
        Assert.Equal("héllo"u8.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Bytes_replace_the_old_file_and_leave_no_temporary_beside_it()
    {
        var path = Path.Combine(_tmp, "f.bin");
        File.WriteAllText(path, "old content, longer");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_tmp));
    }

    [Fact]
    public void A_file_where_the_folder_should_be_is_a_clear_error()
    {
        File.WriteAllText(Path.Combine(_tmp, "blocker"), "");
        var e = Assert.Throws<SimulationInputException>(() => AtomicFile.WriteAllText(Path.Combine(_tmp, "blocker", "f.txt"), "x",
            createFolder: true));
        Assert.Contains("cannot create the folder", e.Message);
    }
}
