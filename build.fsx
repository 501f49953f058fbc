// Build script: `dotnet fsi build.fsx [target]`, target one of Restore, Build, Pack, Test (default), Smoke, Bench,
// SlurmTest.
// Plain F# with no packages, so it runs on a machine where nothing has been restored yet.
// `dotnet build` and `dotnet test` work without it; it adds the set-up steps and the smoke scripts.

open System
open System.Diagnostics
open System.IO

let root = __SOURCE_DIRECTORY__

let run (exe: string) (args: string) =
    printfn "==> %s %s" exe args
    use p = Process.Start(ProcessStartInfo(exe, args, WorkingDirectory = root, UseShellExecute = false))
    p.WaitForExit()
    if p.ExitCode <> 0 then
        eprintfn "build.fsx: '%s %s' failed with exit code %d" exe args p.ExitCode
        exit p.ExitCode

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
    | null | "" ->
        let home =
            match Environment.GetEnvironmentVariable "DOTNET_CLI_HOME" with
            | null | "" -> Environment.GetFolderPath Environment.SpecialFolder.UserProfile
            | h -> h
        Path.Combine(home, ".nuget", "packages")
    | folder -> folder

/// The packages `Pack` writes to artifacts/packages (the folder Directory.Build.props names).
let packedProjects =
    [ "FunctionalVae.Model", "src/Vae.Model.fs"
      "FunctionalVae.Simulation", "src/Vae.Simulation"
      "FunctionalVae.Runs", "src/Vae.Runs"
      "FunctionalVae.Reports", "src/Vae.Reports" ]

/// Each target lists the targets it needs first; every target runs at most once.
let targets: (string * string list * (unit -> unit)) list =
    // The build restores the Paket local tool itself when it is missing (build/PaketTool.targets).
    [ "Restore", [], (fun () -> dotnet "restore FunctionalVae.sln")
      "Build", [ "Restore" ], (fun () -> dotnet "build -c Release --no-restore FunctionalVae.sln")
      "UnitTests", [ "Build" ], (fun () -> dotnet "test -c Release --no-build FunctionalVae.sln")
      "Pack",
      [ "Build" ],
      (fun () ->
          for id, project in packedProjects do
              dotnet $"pack -c Release --no-build {project}"
              // The version only changes on release: drop this version's earlier extraction from the package
              // cache so the samples below consume the package just packed.
              let cached = Path.Combine(globalPackages (), id.ToLowerInvariant())
              if Directory.Exists cached then
                  Directory.Delete(cached, true)
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
      "Test", [ "UnitTests"; "Smoke" ], ignore
      "Bench",
      [ "Build" ],
      (fun () ->
          host "info"
          host "bench-simulate --n 10000"
          host "bench-train --model mlp --steps 100"
          host "bench-train --model conv1d-default --steps 10 --loop functional")
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
