using Vae.Runs;
using Vae.Runs.Persistence;

namespace Vae.Runs.Tests.Persistence;

public sealed class RunFolderTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-run-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    [Fact]
    public void Creates_the_layout_and_refuses_an_existing_run_without_force()
    {
        var path = Path.Combine(_tmp, "run");
        var run = RunFolder.Create(path, force: false);
        Assert.True(Directory.Exists(run.CheckpointDir) && Directory.Exists(run.FigureDir));
        run.WriteText(run.ConfigPath, "{}");
        var e = Assert.Throws<UserInputException>(() => RunFolder.Create(path, force: false));
        Assert.Contains(new Remedy.ReplaceRun(path), e.Remedies);
        Assert.Equal("{}", File.ReadAllText(run.ConfigPath));
    }

    [Fact]
    public void Force_replaces_run_files_but_keeps_the_users_other_files()
    {
        var path = Path.Combine(_tmp, "run");
        var run = RunFolder.Create(path, force: false);
        run.WriteText(run.ConfigPath, "{}");
        File.WriteAllText(Path.Combine(run.CheckpointDir, "last.safetensors"), "x");
        File.WriteAllText(Path.Combine(path, "notes.txt"), "mine");
        RunFolder.Create(path, force: true);
        Assert.False(File.Exists(run.ConfigPath));
        Assert.Empty(Directory.GetFiles(run.CheckpointDir));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(path, "notes.txt")));
    }

    [Fact]
    public void Force_removes_the_analysis_of_the_replaced_run()
    {
        var path = Path.Combine(_tmp, "run");
        var run = RunFolder.Create(path, force: false);
        run.WriteText(run.ConfigPath, "{}");
        run.WriteText(run.AnalysisPath, "{}");
        run.WriteText(run.AnalysisMarkdownPath, "# old");
        Assert.Equal([run.AnalysisPath, run.AnalysisMarkdownPath], new[] { "analysis.json", "analysis.md" }.Select(f => Path.Combine(path, f)));
        RunFolder.Create(path, force: true);
        // A stale analysis would stand for the new run in the experiment's analysis table.
        Assert.False(File.Exists(run.AnalysisPath));
        Assert.False(File.Exists(run.AnalysisMarkdownPath));
    }

    [Fact]
    public void A_file_in_the_way_and_a_non_run_folder_are_bad_input()
    {
        var file = Path.Combine(_tmp, "f");
        File.WriteAllText(file, "");
        Assert.Throws<UserInputException>(() => RunFolder.Create(file, force: true));
        Assert.Contains("not a run folder", Assert.Throws<UserInputException>(() => RunFolder.Open(_tmp)).Message);
    }
}
