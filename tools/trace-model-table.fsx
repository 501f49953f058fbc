// The measured table of issue "a latent that keeps what the features keep" (docs/trace-models.md): the main command
// (`--beta 0.5`, latent 2, the 10,000 report-protocol traces) once per model x likelihood x epochs, each run with its
// end-of-training analysis, then one Markdown row per run from its analysis.json and metrics.csv:
// k-NN R^2 of gK and gNa from the latent means, the latent's information in nats, reconstruction error by region,
// spikes of the reconstructions against the originals, the median training step and the run's wall time.
//   dotnet build -c Release src/Vae.Host
//   dotnet fsi tools/trace-model-table.fsx <scratch folder> [model/likelihood/epochs ...]
// Runs go to <scratch>/<model>-<likelihood>-e<epochs>; a run with its analysis.json is read, not run again, so an
// interrupted table continues where it stopped. The dataset is simulated once into <scratch>/data.
open System
open System.Diagnostics
open System.Globalization
open System.IO
open System.Text.Json

let inv = CultureInfo.InvariantCulture
let fail (text: string) =
    eprintfn "trace-model-table: %s" text
    exit 2

let args = fsi.CommandLineArgs |> Array.skip 1
if args.Length = 0 || args.[0].StartsWith "-" then fail "give a scratch folder first, then model/likelihood/epochs triples (e.g. conv/gaussian/5)"
let scratch = Path.GetFullPath args.[0]
let defaults =
    [ "conv/squared-error/5"
      "conv/squared-error+derivative/5"
      "conv/gaussian/5"
      "conv/gaussian-heteroscedastic/5"
      "conv/laplace/5"
      "resconv/squared-error/5" ]
let configs =
    (if args.Length > 1 then List.ofArray args.[1..] else defaults)
    |> List.map (fun c ->
        match c.Split '/' with
        | [| m; l; e |] when fst (Int32.TryParse e) -> m, l, int e
        | _ -> fail $"'{c}' is not model/likelihood/epochs (e.g. conv/gaussian/5)")

let host = Path.Combine(__SOURCE_DIRECTORY__, "..", "src", "Vae.Host", "bin", "Release", "net10.0", "Vae.Host")
if not (File.Exists host) then fail "no Release build of the host: run `dotnet build -c Release src/Vae.Host` first"

let run (model, likelihood, epochs) =
    let out = Path.Combine(scratch, $"{model}-{likelihood}-e{epochs}")
    if not (File.Exists(Path.Combine(out, "analysis.json"))) then
        let resume = File.Exists(Path.Combine(out, "config.json"))
        let start = ProcessStartInfo(host)
        for a in
            (if resume then
                 [ "--resume"; out ]
             else
                 [ "--beta"; "0.5"; "--model"; model; "--likelihood"; likelihood; "--epochs"; string epochs; "--out"; out ])
            @ [ "--data-dir"; Path.Combine(scratch, "data"); "--no-tensorboard"; "--quiet" ] do
            start.ArgumentList.Add a
        eprintfn "[trace-model-table] %s %s" (if resume then "resuming" else "running") out
        let clock = Stopwatch.StartNew()
        use p = Process.Start start
        p.WaitForExit()
        if p.ExitCode <> 0 then fail $"the run {out} exited with {p.ExitCode}"
        File.AppendAllText(Path.Combine(scratch, "wall-seconds.txt"), $"{Path.GetFileName out} {clock.Elapsed.TotalSeconds:F0}\n")
    out

let wall (out: string) =
    let file = Path.Combine(scratch, "wall-seconds.txt")
    if File.Exists file then
        File.ReadAllLines file
        |> Array.rev
        |> Array.tryPick (fun l ->
            match l.Split ' ' with
            | [| name; s |] when name = Path.GetFileName out -> Some s
            | _ -> None)
        |> Option.defaultValue "-"
    else
        "-"

// Milliseconds per step of the median epoch (its seconds, test evaluation included, over its steps): metrics.csv has
// each epoch's seconds and its last (cumulative) step.
let stepMs (out: string) =
    let lines = File.ReadAllLines(Path.Combine(out, "metrics.csv"))
    let head = lines.[0].Split ','
    let col name = Array.IndexOf(head, name)
    let rows = lines.[1..] |> Array.map (fun l -> l.Split ',')
    let perStep =
        rows
        |> Array.mapi (fun i r ->
            let steps = int r.[col "step"] - (if i = 0 then 0 else int rows.[i - 1].[col "step"])
            Double.Parse(r.[col "seconds"], inv) / float steps * 1000.0)
        |> Array.sort
    perStep.[perStep.Length / 2]

let row (model, likelihood, epochs) (out: string) =
    use doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(out, "analysis.json")))
    let a = doc.RootElement
    let items (name: string) =
        match a.TryGetProperty name with
        | true, v when v.ValueKind = JsonValueKind.Array -> List.ofSeq (v.EnumerateArray())
        | _ -> []
    let str (e: JsonElement) (name: string) = e.GetProperty(name).GetString()
    let knn = items "recovery" |> List.find (fun r -> str r "representation" = "latent means" && str r "regressor" = "k-NN")
    let r2 i = knn.GetProperty("r2").[i].GetDouble().ToString("F4", inv)
    let nats =
        items "information"
        |> List.tryFind (fun r -> str r "representation" = "latent means")
        |> Option.map (fun r -> r.GetProperty("nats").GetProperty("estimate").GetDouble().ToString("F2", inv))
        |> Option.defaultValue "-"
    let regions =
        match a.TryGetProperty "reconstructionRegions" with
        | true, g when g.ValueKind = JsonValueKind.Object ->
            let f (n: string) = g.GetProperty(n).GetDouble().ToString("F2", inv)
            let n (name: string) = g.GetProperty(name).GetInt32().ToString("N0", inv)
            String.Join(" | ", [ f "rmsMv"; f "subthresholdRmsMv"; f "spikeRmsMv"; n "reconstructedSpikes" + " / " + n "spikes" ])
        | _ -> "- | - | - | -"
    $"| {model} | {likelihood} | {epochs} | {r2 0} | {r2 1} | {nats} | {regions} | {stepMs out:F0} | {wall out} |"

Directory.CreateDirectory scratch |> ignore
let rows = configs |> List.map (fun c -> row c (run c))
let table =
    [ "| model | likelihood | epochs | gK R^2 (k-NN) | gNa R^2 (k-NN) | latent nats | RMS mV | subthreshold | spikes "
      + "| spikes reconstructed / original | ms per step (median epoch) | wall s |"
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" ]
    @ rows
let text = String.Join("\n", table) + "\n"
File.WriteAllText(Path.Combine(scratch, "table.md"), text)
printf "%s" text
