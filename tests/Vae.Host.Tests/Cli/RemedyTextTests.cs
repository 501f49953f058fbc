using Vae.Host.Cli;
using Vae.Runs;

namespace Vae.Host.Tests.Cli;

/// <summary>
/// The library says what to do in its own words; the command line says the same with its options, in one place.
/// </summary>
public class RemedyTextTests
{
    public static TheoryData<Remedy, string, string> Remedies() => new()
    {
        { new Remedy.ResumeRun("runs/a"), "continue the run in runs/a", "continue it with --resume runs/a" },
        { new Remedy.ReplaceRun("runs/a"), "start the run in runs/a again, replacing it", "start it again with --out runs/a --force" },
        { new Remedy.OtherRunFolder(), "choose another run folder", "choose another --out" },
        { new Remedy.OtherExperimentFolder(), "choose another experiment folder", "choose another --out for this experiment" },
        { new Remedy.TrainFirst("runs/a"), "train or continue the run in runs/a first", "train or --resume it first" },
        { new Remedy.ChangeSetting("batchSize", "a smaller"), "try a smaller batchSize", "try a smaller --batch-size" },
        { new Remedy.ChangeSetting("learningRate", "a smaller"), "try a smaller learningRate", "try a smaller --lr" },
        { new Remedy.ChangeSetting("hhCount", "a larger"), "try a larger hhCount", "try a larger --hh-count" },
        { new Remedy.GiveMnistFolder("/c"), "give the folder that holds them as the MNIST folder (or copy them to /c)",
            "pass --mnist-dir <folder> (or copy them to /c)" },
        { new Remedy.Act("restore metrics.csv"), "restore metrics.csv", "restore metrics.csv" },
    };

    [Theory, MemberData(nameof(Remedies))]
    public void A_remedy_reads_in_the_library_s_words_and_in_the_command_line_s(Remedy remedy, string library, string cli)
    {
        Assert.Equal(library, remedy.Describe());
        Assert.Equal(cli, RemedyText.Say(remedy));
    }

    [Fact]
    public void The_exception_s_message_is_the_library_s_and_the_command_line_names_its_options()
    {
        var e = new UserInputException("run folder r already exists and is not empty",
            new Remedy.ReplaceRun("r"), new Remedy.ResumeRun("r"), new Remedy.OtherRunFolder());
        Assert.Equal("run folder r already exists and is not empty; start the run in r again, replacing it, "
            + "or continue the run in r, or choose another run folder.", e.Message);
        Assert.Equal("run folder r already exists and is not empty; start it again with --out r --force, "
            + "or continue it with --resume r, or choose another --out.", RemedyText.MessageOf(e));
    }

    [Fact]
    public void Without_remedies_the_message_is_the_problem()
    {
        Assert.Equal("f.h5 is corrupt", new UserInputException("f.h5 is corrupt").Message);
        Assert.Equal("f.h5 is corrupt", RemedyText.MessageOf(new InvalidDataException("f.h5 is corrupt")));
    }
}
