namespace Vae.Runs.Data;

/// <summary>
/// The original study's 10,000 conductance draws (the repository's <c>data/seed-hh-parameters.csv</c>). The build
/// copies the file beside the host assembly, so the default resolves the same from any working directory, from
/// `dotnet run` and from a published copy of the host.
/// </summary>
public static class SeedParameters
{
    /// <summary>The file's name, in the repository's <c>data/</c> folder and in the host's.</summary>
    public const string FileName = "seed-hh-parameters.csv";

    /// <summary>The copy shipped with the host.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "data", FileName);
}
