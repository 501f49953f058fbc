using Vae.Host.Cli;
using Vae.Host.Experiments;
using Vae.Runs.Experiments;

namespace Vae.Host.Tests;

/// <summary>The reproduce command on tiny HH data: selection, skipping, resuming, results table, report, plan.</summary>
public sealed class ReproduceCommandTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("fvae-repro-").FullName;
    private string Out => Path.Combine(_tmp, "exp");

    public void Dispose() => Directory.Delete(_tmp, true);

    private (int Code, string Out, string Err) Reproduce(params string[] extra) => ReproduceWith("hh-mlp", "1", ["--quiet", .. extra]);

    // `reproduce report` and `reproduce plan` train nothing, so they have no --quiet.
    private (int Code, string Out, string Err) Report() => ReproduceWith("hh-mlp", "1", [], "report");

    private (int Code, string Out, string Err) ReproduceWith(string only, string epochs, string[] extra, params string[] command) =>
        CliRunner.Run(["reproduce", .. command, "--only", only, "--epochs", epochs, "--hh-count", "30", "--threads", "1",
            "--data-dir", Path.Combine(_tmp, "data"), "--out", Out, .. extra]);

    [Fact]
    public void Runs_the_selected_sweep_then_skips_complete_configs_and_resumes_unfinished_ones()
    {
        var (code, output, err) = ReproduceWith("hh-mlp", "1", ["--quiet"], "run");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("hh-mlp-z2-beta1: starting", output);
        Assert.Contains("hh-mlp-z20-beta1: starting", output);
        var csv = File.ReadAllLines(Path.Combine(Out, "results.csv"));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("hh-mlp,hh-mlp-z2-beta1,hh,mlp,2,1,1,", csv[1]);
        Assert.Contains("| hh-mlp | hh-mlp-z20-beta1 |", File.ReadAllText(Path.Combine(Out, "results.md")));
        foreach (var png in new[] { "fig2.6-voltage", "fig2.6-gates", "fig2.6-current", "fig3.2-schedule" })
            Assert.True(File.Exists(Path.Combine(Out, "figures", png + ".png")), png);
        // No MNIST in this data folder and no Conv runs: those figures are left out, not drawn empty.
        Assert.False(File.Exists(Path.Combine(Out, "figures", "fig3.1-mnist.png")));
        Assert.False(File.Exists(Path.Combine(Out, "figures", "fig4.5-beta1.png")));
        Assert.False(File.Exists(Path.Combine(Out, "figures", "fig4.8-hh-z2.png")));
        Assert.True(File.Exists(Path.Combine(Out, "figures", "latent-hh-mlp.png")));
        var html = File.ReadAllText(Path.Combine(Out, "report.html"));
        Assert.Contains("Latent space of HH test traces under the MLP-VAE", html);
        Assert.Contains("No finished run for this figure yet.", html);
        Assert.Contains("Figure 2.6", html);

        File.Delete(Path.Combine(Out, "hh-mlp-z20-beta1", "model.safetensors"));
        (code, output, _) = Reproduce();
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("hh-mlp-z2-beta1: complete, skipped", output);
        Assert.Contains("hh-mlp-z20-beta1: resuming", output);
        Assert.True(File.Exists(Path.Combine(Out, "hh-mlp-z20-beta1", "model.safetensors")));
        Assert.Equal(csv, File.ReadAllLines(Path.Combine(Out, "results.csv")));
    }

    [Fact]
    public void Report_redraws_the_report_from_the_runs_as_they_stand_and_trains_nothing()
    {
        var (code, _, err) = Report();
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("holds no experiment yet; train it first with reproduce run", err);

        Assert.Equal(ExitCodes.Ok, Reproduce().Code);
        File.Delete(Path.Combine(Out, "report.html"));
        File.Delete(Path.Combine(Out, "hh-mlp-z20-beta1", "model.safetensors"));
        (code, var output, err) = Report();
        Assert.True(code == ExitCodes.Ok, err);
        Assert.DoesNotContain("resuming", output);
        Assert.False(File.Exists(Path.Combine(Out, "hh-mlp-z20-beta1", "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(Out, "report.html")));
    }

    [Fact]
    public void Report_analyzes_a_finished_config_without_an_analysis_and_adds_it_to_the_table_and_report()
    {
        var (code, output, err) = Reproduce();
        Assert.True(code == ExitCodes.Ok, err);
        var folder = new ExperimentFolder(Out);
        var table = File.ReadAllLines(folder.AnalysisCsv);
        Assert.Equal(string.Join(",", AnalysisTable.Header), table[0]);
        Assert.Equal(["hh-mlp,hh-mlp-z2-beta1", "hh-mlp,hh-mlp-z20-beta1"], table[1..].Select(l => string.Join(",", l.Split(',')[..2])));
        Assert.DoesNotContain(": analyzed", output); // training analyzed both at their end

        var run = Vae.Runs.Persistence.RunFolder.At(folder.RunOf("hh-mlp-z20-beta1"));
        var atTrainingEnd = File.ReadAllText(run.AnalysisPath);
        File.Delete(run.AnalysisPath);
        File.Delete(run.AnalysisMarkdownPath);
        File.Delete(folder.AnalysisCsv);
        (code, output, err) = Report();
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Single(output.Split('\n'), l => l.StartsWith("hh-mlp-z20-beta1: analyzed", StringComparison.Ordinal));
        Assert.DoesNotContain("hh-mlp-z2-beta1: analyzed", output);
        // The same analysis as training's end would have written, and all its files.
        Assert.Equal(atTrainingEnd, File.ReadAllText(run.AnalysisPath));
        Assert.True(File.Exists(run.AnalysisMarkdownPath));
        Assert.Contains("What the latent space learned", File.ReadAllText(run.ReportPath));
        Assert.Equal(table, File.ReadAllLines(folder.AnalysisCsv));
        var html = File.ReadAllText(folder.ReportPath);
        // Right after the results table, before the study's figures.
        var (results, section, next) = (html.IndexOf("<h2>Results</h2>", StringComparison.Ordinal),
            html.IndexOf($"<h2>{AnalysisSection.Heading}</h2>", StringComparison.Ordinal), html.IndexOf("<h2>Figure 2.6", StringComparison.Ordinal));
        Assert.True(results >= 0 && results < section && section < next, $"{results} {section} {next}");
        Assert.Contains("<td>hh-mlp-z20-beta1</td>", html[section..next]);
    }

    [Fact]
    public void A_folder_of_other_settings_is_refused()
    {
        Assert.Equal(ExitCodes.Ok, Reproduce().Code);
        var (code, _, err) = ReproduceWith("hh-mlp", "2", ["--quiet"]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("other settings", err);
    }

    [Fact]
    public void Plan_lists_configs_with_estimates_and_trains_nothing()
    {
        var (code, output, err) = ReproduceWith("hh-mlp", "1", [], "plan");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("2 configs", output);
        Assert.Contains("hh-mlp-z20-beta1", output);
        Assert.Contains("ms/step", output);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void The_seed_code_protocol_defaults_to_the_conductance_draws_shipped_with_the_host()
    {
        var path = HostCli.Build().Parse(["reproduce", "--protocol", "seed-code"]).GetValue<string>("--seed-params");
        Assert.Equal(Vae.Runs.Data.SeedParameters.DefaultPath, path);
        // Beside the host assembly, not relative to the working directory.
        Assert.True(Path.IsPathRooted(path));
        Assert.StartsWith(Path.GetFullPath(AppContext.BaseDirectory), path);
        Assert.Equal("index,gkbar,gnabar", File.ReadLines(path!).First());
        Assert.Equal(10_001, File.ReadLines(path!).Count());
    }

    [Fact]
    public void A_failed_solve_while_generating_the_training_data_is_one_error_line_and_exit_code_1()
    {
        var csv = Path.Combine(_tmp, "extreme.csv");
        File.WriteAllLines(csv, ["gk,gna", "36,120", "1e300,120", "30,115"]);
        var (code, _, err) = Reproduce("--protocol", "seed-code", "--seed-params", csv);
        Assert.Equal(ExitCodes.Failure, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: trace 1 (gK = 1E+300, gNa = 120) failed", lines[0]);
        Assert.False(Directory.Exists(Out));
        Assert.Empty(Directory.GetFiles(Path.Combine(_tmp, "data"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Unknown_selection_is_bad_input()
    {
        var (code, _, err) = ReproduceWith("hh-mlp,nope", "1", ["--quiet"]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("nope", err);
    }
}
