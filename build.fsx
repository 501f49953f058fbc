// Build script: `dotnet fsi build.fsx [target]`, target one of Restore, Build, Pack, Test (default), Smoke, Bench,
// ScaleBench (tools/scale-bench.sh at the trace counts in SCALE_BENCH_TRACES, default "10000 100000 1000000"),
// SlurmTest, Format (the layout check that Test runs first), FormatFix (applies the formatters).
// Plain F# with no packages, so it runs on a machine where nothing has been restored yet.
// `dotnet build` and `dotnet test` work without it; it adds the set-up steps and the smoke scripts.

open System
open System.Diagnostics
open System.IO

let root = __SOURCE_DIRECTORY__

/// Runs `exe args` in the repository's root and returns its exit code.
let exec (exe: string) (args: string) =
    printfn "==> %s %s" exe args
    use p = Process.Start(ProcessStartInfo(exe, args, WorkingDirectory = root, UseShellExecute = false))
    p.WaitForExit()
    p.ExitCode

/// Runs `exe args` in the repository's root; stops the build if it fails.
let run (exe: string) (args: string) =
    match exec exe args with
    | 0 -> ()
    | code ->
        eprintfn "build.fsx: '%s %s' failed with exit code %d" exe args code
        exit code

let dotnet = run "dotnet"
let host args = dotnet $"run -c Release --no-build --project src/Vae.Host -- {args}"

/// A fresh scratch folder under the system temp folder, for the smoke runs.
let scratch () =
    let dir = Path.Combine(Path.GetTempPath(), $"fvae-smoke-{Guid.NewGuid():N}")
    Directory.CreateDirectory dir |> ignore
    dir

/// The NuGet global packages folder, as NuGet finds it (NUGET_PACKAGES, else the .NET CLI home's .nuget/packages).
let globalPackages () =
    match Environment.GetEnvironmentVariable "NUGET_PACKAGES" with
    | null
    | "" ->
        let home =
            match Environment.GetEnvironmentVariable "DOTNET_CLI_HOME" with
            | null
            | "" -> Environment.GetFolderPath Environment.SpecialFolder.UserProfile
            | h -> h
        Path.Combine(home, ".nuget", "packages")
    | folder -> folder

/// The packages `Pack` writes to artifacts/packages (the folder Directory.Build.props names).
let packedProjects =
    [ "FunctionalVae.Model", "src/Vae.Model.fs"
      "FunctionalVae.Simulation", "src/Vae.Simulation"
      "FunctionalVae.Runs", "src/Vae.Runs"
      "FunctionalVae.Reports", "src/Vae.Reports" ]

/// The folders and scripts the formatters and the line-length check cover (bin and obj folders left out). Folders end
/// in '/': dotnet format's --include matches nothing for "src".
let formatted = [ "src/"; "tests/"; "examples/"; "tools/"; "build.fsx" ]
let maxLineLength = 150
let fixHint = "run `dotnet fsi build.fsx FormatFix` to apply the formatters"

/// The .cs, .fs and .fsx files of `formatted`, relative to the root, with '/' separators.
let sourceFiles () =
    let isSource (f: string) = [ ".cs"; ".fs"; ".fsx" ] |> List.contains (Path.GetExtension f)
    let relative (f: string) = Path.GetRelativePath(root, f).Replace('\\', '/')
    let generated (f: string) = (relative f).Split('/') |> Array.exists (fun d -> d = "bin" || d = "obj")
    [ for entry in formatted do
          let path = Path.Combine(root, entry)
          if Directory.Exists path then
              yield! Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories) |> Seq.filter (fun f -> isSource f && not (generated f))
          elif File.Exists path then
              yield path ]
    |> List.map relative
    |> List.sort

/// One line per source line over `maxLineLength` characters: file:line and its length.
let longLines () =
    [ for file in sourceFiles () do
          for i, line in File.ReadAllLines(Path.Combine(root, file)) |> Array.indexed do
              if line.Length > maxLineLength then $"{file}:{i + 1}: {line.Length} characters, over {maxLineLength}: wrap it by hand" ]

/// The layout check: C# whitespace as .editorconfig says (dotnet format), F# as Fantomas lays it out, no line over
/// `maxLineLength` characters. Every problem is one line; the check fails after running all three.
let format () =
    run "dotnet" "tool restore"
    let whitespace = exec "dotnet" ("format whitespace --folder . --verify-no-changes --include " + String.concat " " formatted)
    let fantomas = exec "dotnet" ("fantomas --check " + String.concat " " formatted)
    let problems =
        [ if whitespace <> 0 then $"C# whitespace differs from .editorconfig in the files listed above: {fixHint}"
          if fantomas <> 0 then $"F# layout differs from Fantomas' in the files listed above: {fixHint}"
          yield! longLines () ]
    for problem in problems do
        eprintfn "build.fsx: Format: %s" problem
    if not problems.IsEmpty then
        eprintfn "build.fsx: Format failed with %d problems" problems.Length
        exit 1

/// Applies the formatters; lines still over `maxLineLength` characters are listed, to wrap by hand.
let formatFix () =
    run "dotnet" "tool restore"
    run "dotnet" ("format whitespace --folder . --include " + String.concat " " formatted)
    run "dotnet" ("fantomas " + String.concat " " formatted)
    for problem in longLines () do
        eprintfn "build.fsx: FormatFix: %s" problem

/// Each target lists the targets it needs first; every target runs at most once.
let targets: (string * string list * (unit -> unit)) list =
    // The build restores the Paket local tool itself when it is missing (build/PaketTool.targets).
    [ "Restore", [], (fun () -> dotnet "restore FunctionalVae.sln")
      "Build", [ "Restore" ], (fun () -> dotnet "build -c Release --no-restore FunctionalVae.sln")
      // Every test project of the solution, one per src project: Vae.Model.Tests, Vae.Simulation.Tests,
      // Vae.Runs.Tests, Vae.Reports.Tests and Vae.Host.Tests (tests/Vae.TestSupport holds their shared helpers and is
      // no test project, so `dotnet test` passes it by).
      "UnitTests", [ "Build" ], (fun () -> dotnet "test -c Release --no-build FunctionalVae.sln")
      "Pack",
      [ "Build" ],
      (fun () ->
          for id, project in packedProjects do
              dotnet $"pack -c Release --no-build {project}"
              // The version only changes on release: drop this version's earlier extraction from the package
              // cache so the samples below consume the package just packed.
              let cached = Path.Combine(globalPackages (), id.ToLowerInvariant())
              if Directory.Exists cached then Directory.Delete(cached, true)
          // The host as a .NET tool for this machine's runtime (libtorch's natives of one platform only).
          let rid = Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier
          dotnet $"pack -c Release src/Vae.Host -r {rid} -p:SelfContained=false -p:PackHostTool=true")
      "Smoke",
      [ "Build"; "Pack" ],
      (fun () ->
          for script in [ "examples/smoke.fsx"; "examples/quickstart.fsx" ] do
              dotnet $"fsi {script}"
          // The libraries as NuGet packages from the local feed (examples/nuget.config): a C# console project
          // and an F# script.
          dotnet "run -c Release --project examples/PackageSample"
          dotnet "fsi examples/package.fsx"
          // The application libraries from their packages: simulate, train, pause, resume, analyze, render; from an
          // F# script and from a C# program.
          for sample in [ "fsi examples/runs.fsx"; "run -c Release --project examples/StudySample --" ] do
              let study = scratch ()
              try
                  dotnet $"{sample} {study}"
              finally
                  Directory.Delete(study, true)
          // The tool package installed into a temporary tool path as a user would, and run from there.
          let tools = scratch ()
          try
              dotnet $"tool install --tool-path {tools} --add-source artifacts/packages FunctionalVae.Tool"
              run (Path.Combine(tools, "functionalvae")) "info"
          finally
              Directory.Delete(tools, true)
          host "info"
          // The README's main command in reduced form (tiny generated dataset, one epoch), so it cannot break
          // silently; then the commands that read a run folder.
          let dir = scratch ()
          try
              let run = Path.Combine(dir, "run")
              let data = Path.Combine(dir, "data")
              host $"--beta 0.5 --hh-count 40 --epochs 1 --batch-size 8 --data-dir {data} --out {run}"
              host $"evaluate {run} --data-dir {data}"
              host $"generate {run} --n 4 --data-dir {data}"
              host $"encode {run} --data-dir {data}"
          finally
              Directory.Delete(dir, true))
      "Format", [], format
      "FormatFix", [], formatFix
      "Test", [ "Format"; "UnitTests"; "Smoke" ], ignore
      "Bench",
      [ "Build" ],
      (fun () ->
          host "info"
          host "bench-simulate --n 10000"
          host "bench-train --model mlp --steps 100"
          host "bench-train --model conv1d-default --steps 10 --loop functional")
      // Simulate, one epoch of training and analyze as separate processes at each trace count: time and peak memory.
      "ScaleBench",
      [ "Build" ],
      (fun () ->
          let traces =
              match Environment.GetEnvironmentVariable "SCALE_BENCH_TRACES" with
              | null
              | "" -> "10000 100000 1000000"
              | counts -> counts

          run "bash" $"tools/scale-bench.sh --no-build {traces}")
      // A one-node Slurm cluster on this machine runs a tiny sweep as a job array (installs slurm-wlm if missing).
      "SlurmTest", [ "Build" ], (fun () -> run "bash" "tools/slurm-test.sh --no-build") ]

let done' = Collections.Generic.HashSet<string>()

let rec runTarget (name: string) =
    match targets |> List.tryFind (fun (n, _, _) -> String.Equals(n, name, StringComparison.OrdinalIgnoreCase)) with
    | None ->
        let names = targets |> List.map (fun (n, _, _) -> n) |> String.concat ", "
        eprintfn "build.fsx: unknown target '%s'; targets: %s" name names
        exit 2
    | Some(n, deps, action) ->
        if done'.Add n then
            deps |> List.iter runTarget
            let sw = Stopwatch.StartNew()
            printfn "=== %s" n
            action ()
            printfn "=== %s done in %.1f s" n sw.Elapsed.TotalSeconds

let requested =
    match fsi.CommandLineArgs |> Array.skip 1 with
    | [||] -> [ "Test" ]
    | args -> List.ofArray args

requested |> List.iter runTarget
