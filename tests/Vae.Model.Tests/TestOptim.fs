module Vae.Model.Tests.TestOptim

open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Optim
open Vae.Model.Tests.TestUtil

/// The golden cases' parameter record.
type private Small = { W: Tensor; B: Tensor }

let private record (w: float[], b: float[]) =
    let ws, bs = NadamwGolden.shapes
    { W = tensor64 ws w; B = tensor64 bs b }

let private values (p: Small) = toArray p.W, toArray p.B

// Golden values from tools/nadamw_reference.py (plain Python floats); tolerance 1e-13 relative + 1e-15.
// Both forms of NAdamW: the fused one that training uses and the composition that defines it.
[<Theory>]
[<InlineData(true)>]
[<InlineData(false)>]
let ``NAdamW reproduces the independent reference trajectories and final moments`` (fused: bool) =
    ensureTorch ()
    let target = record NadamwGolden.target
    for case in NadamwGolden.cases do
        let schedule = Schedule.CosineDecay(case.Initial, case.DecaySteps, case.Alpha, case.Exponent)
        let cfg = { Nadamw.Config.Defaults with WeightDecay = case.WeightDecay; Clip = case.Clip }
        let opt = (if fused then Nadamw.transform else Nadamw.chain) cfg schedule
        let mutable p = record NadamwGolden.start
        let mutable s = init opt p
        for expected in case.Trajectory do
            let grads = Params.map2 (fun x c -> (x - c) * NadamwGolden.k) p target
            let p', s' = apply opt grads s p
            p <- p'
            s <- s'
            let w, b = values p
            assertClose 1e-15 1e-13 (fst expected) w
            assertClose 1e-15 1e-13 (snd expected) b
        let adam = s.Parts |> List.find (fun part -> not part.Slots.IsEmpty)
        // Every leaf of both moments: W's and b's first moments, W's and b's second moments.
        let check (w, b) (leaves: TorchSharp.torch.Tensor[]) =
            Assert.Equal(2, leaves.Length)
            assertClose 1e-15 1e-13 w (toArray leaves.[0])
            assertClose 1e-15 1e-13 b (toArray leaves.[1])
        check case.FinalMu (Adam.mu adam)
        check case.FinalNu (Adam.nu adam)
        // Every transformation counted every update.
        Assert.All(s :: s.Parts, fun part -> Assert.Equal(int64 case.Trajectory.Length, part.Count))

[<Fact>]
let ``clipping bounds every update element to [-limit, limit] and passes small ones unchanged`` () =
    ensureTorch ()
    let clip = Transforms.clipByValue 1.0
    let p = [| zeros TensorSpec.Float64 [| 4L |] |]
    let u, s = update clip [| tensor64 [| 4L |] [| -3.0; -0.5; 0.25; 7.0 |] |] (init clip p) p
    Assert.Equal<float[]>([| -1.0; -0.5; 0.25; 1.0 |], toArray u.[0])
    Assert.Equal(1L, s.Count)

[<Fact>]
let ``clipping changes the NAdamW step when gradients exceed the limit`` () =
    ensureTorch ()
    let p = { W = tensor64 [| 1L |] [| 0.0 |]; B = tensor64 [| 1L |] [| 0.0 |] }
    let g = { W = tensor64 [| 1L |] [| 5.0 |]; B = tensor64 [| 1L |] [| -5.0 |] }
    let g2 = { W = tensor64 [| 1L |] [| 5.0 |]; B = tensor64 [| 1L |] [| -0.5 |] }
    let run clip grads =
        let opt = Nadamw.transform { Nadamw.Config.Defaults with Clip = clip } (Schedule.constant 0.1)
        let p1, s1 = apply opt grads (init opt p) p
        let p2, _ = apply opt g2 s1 p1
        values p2
    // The first step of Adam is sign-like, so the difference shows on the second step's moment ratios.
    Assert.NotEqual<float[]>(fst (run (Some 1.0) g), fst (run None g))

[<Fact>]
let ``decoupled weight decay adds lr * wd * theta to the step and nothing else`` () =
    ensureTorch ()
    let p = { W = tensor64 [| 2L |] [| 2.0; -4.0 |]; B = tensor64 [| 1L |] [| 1.0 |] }
    let g = { W = tensor64 [| 2L |] [| 0.3; -0.2 |]; B = tensor64 [| 1L |] [| 0.1 |] }
    let lr = 0.01
    let step wd =
        let opt = Nadamw.transform { Nadamw.Config.Defaults with WeightDecay = wd } (Schedule.constant lr)
        fst (apply opt g (init opt p) p) |> values
    let without, with' = step 0.0, step 0.5
    assertClose 1e-15 1e-12 [| for x in [ 2.0; -4.0 ] -> -lr * 0.5 * x |] (Array.map2 (-) (fst with') (fst without))
    assertClose 1e-15 1e-12 [| -lr * 0.5 * 1.0 |] (Array.map2 (-) (snd with') (snd without))

[<Fact>]
let ``updates leave their inputs untouched`` () =
    ensureTorch ()
    let p = { W = tensor64 [| 2L |] [| 2.0; -4.0 |]; B = tensor64 [| 1L |] [| 1.0 |] }
    let g = { W = tensor64 [| 2L |] [| 0.3; -0.2 |]; B = tensor64 [| 1L |] [| 0.1 |] }
    let opt = Nadamw.transform Nadamw.Config.Defaults (Schedule.constant 0.1)
    let s = init opt p
    let before = Params.flatten p |> Array.map toArray, namedTensors s |> Array.map (snd >> toArray)
    apply opt g s p |> ignore
    update opt g s p |> ignore
    Assert.Equal(0L, s.Count)
    Assert.Equal<float[][]>(fst before, Params.flatten p |> Array.map toArray)
    Assert.Equal<float[][]>(snd before, namedTensors s |> Array.map (snd >> toArray))
    Assert.Equal<float[]>([| 0.3; -0.2 |], toArray g.W)

[<Fact>]
let ``the pure and the in-place update agree bit for bit`` () =
    ensureTorch ()
    let target = record NadamwGolden.target
    for case in NadamwGolden.cases do
        let schedule = Schedule.CosineDecay(case.Initial, case.DecaySteps, case.Alpha, case.Exponent)
        let opt = Nadamw.transform { Nadamw.Config.Defaults with WeightDecay = case.WeightDecay; Clip = case.Clip } schedule
        let mutable fresh = record NadamwGolden.start
        let mutable freshState = init opt fresh
        let donated = record NadamwGolden.start
        let donatedState = init opt donated
        for expected in case.Trajectory do
            let grads p = Params.map2 (fun x c -> (x - c) * NadamwGolden.k) p target
            let p', s' = apply opt (grads fresh) freshState fresh
            fresh <- p'
            freshState <- s'
            applyInPlace opt (grads donated) donatedState donated
            assertClose 1e-15 1e-13 (fst expected) (toArray donated.W)
            Assert.True(Array.forall2 sameValues (Params.flatten fresh) (Params.flatten donated))
            Assert.True(Array.forall2 (fun (_, a) (_, b) -> sameValues a b) (namedTensors freshState) (namedTensors donatedState))

[<Fact>]
let ``the study NAdamW is the default NAdamW with the decay and clip given`` () =
    ensureTorch ()
    let schedule = Schedule.study 10L
    for wd, clip in [ 0.0, None; 0.3, Some 0.05 ] do
        let study = Nadamw.study wd clip schedule
        let direct = Nadamw.transform { Nadamw.Config.Defaults with WeightDecay = wd; Clip = clip } schedule
        let a = record NadamwGolden.start
        let b = record NadamwGolden.start
        let sa = init study a
        let sb = init direct b
        let grads p = Params.map2 (fun x c -> (x - c) * NadamwGolden.k) p (record NadamwGolden.target)
        for _ in 0L .. 4L do
            applyInPlace study (grads a) sa a
            applyInPlace direct (grads b) sb b
        Assert.True(Array.forall2 sameValues (Params.flatten a) (Params.flatten b))
        // Both settings matter: each run differs from the study's defaults.
        let c = record NadamwGolden.start
        let defaults = Nadamw.transform Nadamw.Config.Defaults schedule
        let sc = init defaults c
        for _ in 0L .. 4L do
            applyInPlace defaults (grads c) sc c
        Assert.False(Array.forall2 sameValues (Params.flatten a) (Params.flatten c))

[<Fact>]
let ``NAdamW's state keeps the checkpoint names of the chain`` () =
    ensureTorch ()
    let p = record NadamwGolden.start
    let names opt = namedTensors (init opt p) |> Array.map fst
    let expected = [| "1.mu.0"; "1.mu.1"; "1.nu.0"; "1.nu.1" |]
    Assert.Equal<string[]>(expected, names (Nadamw.transform Nadamw.Config.Defaults (Schedule.constant 0.1)))
    Assert.Equal<string[]>(expected, names (Nadamw.chain Nadamw.Config.Defaults (Schedule.constant 0.1)))
    Assert.Equal<string[]>(
        [| "0.mu.0"; "0.mu.1"; "0.nu.0"; "0.nu.1" |],
        names (Nadamw.transform { Nadamw.Config.Defaults with Clip = None } (Schedule.constant 0.1))
    )

[<Fact>]
let ``the weight-decay mask leaves the excluded leaves undecayed and the others as before`` () =
    ensureTorch ()
    let p = { W = tensor64 [| 2L |] [| 2.0; -4.0 |]; B = tensor64 [| 1L |] [| 1.0 |] }
    let g = { W = tensor64 [| 2L |] [| 0.3; -0.2 |]; B = tensor64 [| 1L |] [| 0.1 |] }
    let step wd mask =
        let opt = Nadamw.transform { Nadamw.Config.Defaults with WeightDecay = wd; Decays = mask } (Schedule.constant 0.01)
        fst (apply opt g (init opt p) p) |> values
    let all, masked, none = step 0.5 Transforms.allLeaves, step 0.5 Transforms.notBiases, step 0.0 Transforms.allLeaves
    Assert.Equal<float[]>(fst all, fst masked)
    assertClose 1e-15 1e-12 (snd none) (snd masked)
    Assert.NotEqual<float[]>(snd all, snd masked)
    Assert.True(Transforms.notBiases "Encoder.0.W" && not (Transforms.notBiases "Encoder.0.B"))

/// A transformation defined outside the library, with its own slot: momentum, m <- 0.5 m + u, out m.
let private momentum: GradientTransformation =
    { Init = (fun ps -> leafState [ "trace", Array.map TorchSharp.torch.zeros_like ps ])
      Update =
        fun state updates _ ->
            let trace = slot "trace" state
            updates
            |> Array.mapi (fun i u ->
                use half = scalar 0.5
                trace.[i].mul_(half).add_(Updates.evaluate u) |> ignore
                Updates.ofTensor (trace.[i].clone()))
      ApplyInPlace = None }

[<Fact>]
let ``a new transformation brings its own state into a chain, its checkpoint names and counts`` () =
    ensureTorch ()
    let opt = chain [ Transforms.clipByValue 1.0; momentum; Transforms.scaleByLearningRate (Schedule.constant 0.1) ]
    let p = record NadamwGolden.start
    let s = init opt p
    Assert.Equal<string[]>([| "1.trace.0"; "1.trace.1" |], namedTensors s |> Array.map fst)
    let g () = { W = tensor64 [| 2L; 3L |] (Array.create 6 2.0); B = tensor64 [| 2L |] [| 0.5; -0.5 |] }
    applyInPlace opt (g ()) s p
    applyInPlace opt (g ()) s p
    // Clipped to 1, traced (1, then 1.5), scaled by -0.1: W moved by -0.25 from its start.
    assertClose 1e-15 1e-12 (fst NadamwGolden.start |> Array.map (fun x -> x - 0.25)) (toArray p.W)
    Assert.All(s :: s.Parts, fun part -> Assert.Equal(2L, part.Count))
