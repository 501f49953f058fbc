module Vae.Model.Tests.TestSchedule

open System
open Xunit
open Vae.Model

[<Fact>]
let ``cosine decay starts at I, ends at I a, and stays there after T`` () =
    let s = Schedule.CosineDecay(1e-3, 100L, 0.01, 1.0)
    Assert.Equal(1e-3, s.At 0L)
    Assert.Equal(1e-5, s.At 100L, 15)
    Assert.Equal(s.At 100L, s.At 101L)
    Assert.Equal(s.At 100L, s.At 1_000_000L)
    // Halfway the cosine factor is 1/2: I ((1 - a) / 2 + a).
    Assert.Equal(1e-3 * (0.99 * 0.5 + 0.01), s.At 50L, 15)

[<Fact>]
let ``cosine decay is monotone non-increasing`` () =
    let s = Schedule.study 1000L
    let rates = [| for t in 0L .. 1100L -> s.At t |]
    Assert.True(rates |> Array.pairwise |> Array.forall (fun (a, b) -> b <= a))

[<Fact>]
let ``a larger exponent decays faster at every interior step`` () =
    let at p = Schedule.CosineDecay(1.0, 50L, 0.1, p)
    for t in 1L .. 49L do
        Assert.True((at 2.0).At t < (at 1.0).At t && (at 1.0).At t < (at 0.5).At t, $"step {t}")

[<Fact>]
let ``invalid arguments are rejected when the schedule is built`` () =
    let bad (f: unit -> Schedule) = Assert.Throws<ArgumentException>(fun () -> f () |> ignore) |> ignore
    bad (fun () -> Schedule.CosineDecay(-1e-3, 10L, 0.01, 1.0))
    bad (fun () -> Schedule.CosineDecay(nan, 10L, 0.01, 1.0))
    bad (fun () -> Schedule.CosineDecay(1e-3, 0L, 0.01, 1.0))
    bad (fun () -> Schedule.CosineDecay(1e-3, 10L, 1.5, 1.0))
    bad (fun () -> Schedule.CosineDecay(1e-3, 10L, -0.1, 1.0))
    bad (fun () -> Schedule.CosineDecay(1e-3, 10L, 0.01, 0.0))
    bad (fun () -> Schedule.Constant -1.0)
    Assert.Throws<ArgumentException>(fun () -> (Schedule.study 10L).At -1L |> ignore) |> ignore

[<Fact>]
let ``the study schedule is the cosine decay from 1e-3 to 1% with exponent 1`` () =
    Assert.Equal((1e-3, 0.01, 1.0), (Schedule.StudyInitial, Schedule.StudyAlpha, Schedule.StudyExponent))
    let reference = Schedule.CosineDecay(1e-3, 500L, 0.01, 1.0)
    for t in 0L .. 600L do
        Assert.Equal(reference.At t, (Schedule.study 500L).At t)
