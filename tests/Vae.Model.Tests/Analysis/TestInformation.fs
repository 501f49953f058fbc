module Vae.Model.Tests.Analysis.TestInformation

open Xunit
open Vae.Model.Analysis
open Vae.Model.Tests.TestUtil

[<Fact>]
let ``discretize uses equal-width bins with the maximum in the last`` () =
    Assert.Equal<int[]>([| 0; 1; 1 |], Information.discretize 2 [| 0.0; 0.5; 1.0 |])
    Assert.Equal<int[]>([| 0; 9; 19; 19 |], Information.discretize 20 [| 0.0; 0.49; 0.999; 1.0 |])
    Assert.Equal<int[]>([| 0; 0 |], Information.discretize 20 [| 3.0; 3.0 |])

[<Fact>]
let ``mutual information of a labeling with itself is its entropy, and zero for independent ones`` () =
    let a = [| 0; 1; 2; 3; 0; 1; 2; 3 |]
    assertClose 1e-12 0.0 [| log 4.0 |] [| Information.entropy a |]
    // b is independent of a by construction: every (a, b) pair occurs once.
    let b = [| 0; 0; 0; 0; 1; 1; 1; 1 |]
    assertClose 1e-12 0.0 [| 0.0 |] [| Information.mutualInformation a b |]
    // a determines b = a mod 2: I(a; b) = H(b) = log 2.
    assertClose 1e-12 0.0 [| log 2.0 |] [| Information.mutualInformation a (a |> Array.map (fun v -> v % 2)) |]

[<Fact>]
let ``MIG of a constructed case: one exact code and one that keeps half the information gives 0.5`` () =
    let factor = Array.init 400 (fun i -> i % 4)
    let exact = factor |> Array.map float
    let half = factor |> Array.map (fun v -> float (v % 2))
    let mi = Information.mutualInformationMatrix 20 [| exact; half |] [| factor |]
    assertClose 1e-12 0.0 [| log 4.0; log 2.0 |] [| mi.[0, 0]; mi.[1, 0] |]
    assertClose 1e-12 0.0 [| 0.5 |] [| Information.mig mi [| Information.entropy factor |] |]
    // Swapping the codes changes nothing; a second factor read by no code has MIG 0 for it.
    let other = Array.init 400 (fun i -> (i / 4) % 2)
    let mi2 = Information.mutualInformationMatrix 20 [| half; exact |] [| factor; other |]
    assertClose 1e-12 0.0 [| 0.5; 0.0 |] (Information.migPerFactor mi2 [| Information.entropy factor; Information.entropy other |])

[<Fact>]
let ``SAP is 1 when one code is the factor and the other is uncorrelated with it`` () =
    let f = [| 0.0; 1.0; 2.0; 3.0 |]
    let scores = Information.sapMatrix [| f; [| 1.0; 0.0; 0.0; 1.0 |] |] [| f |]
    assertClose 1e-12 0.0 [| 1.0; 0.0 |] [| scores.[0, 0]; scores.[1, 0] |]
    assertClose 1e-12 0.0 [| 1.0 |] [| Information.sap scores |]
    // A scaled, shifted code scores the same; a constant code scores 0.
    let s2 = Information.sapMatrix [| f |> Array.map (fun v -> 5.0 - 2.0 * v); Array.create 4 7.0 |] [| f |]
    assertClose 1e-12 0.0 [| 1.0; 0.0 |] [| s2.[0, 0]; s2.[1, 0] |]

[<Fact>]
let ``DCI: one code per factor is fully disentangled and complete, uniform importance is neither`` () =
    let d, c = Information.dci (array2D [ [ 1.0; 0.0 ]; [ 0.0; 2.0 ] ])
    assertClose 1e-8 0.0 [| 1.0; 1.0 |] [| d; c |]
    let d0, c0 = Information.dci (array2D [ [ 1.0; 1.0 ]; [ 1.0; 1.0 ] ])
    assertClose 1e-8 0.0 [| 0.0; 0.0 |] [| d0; c0 |]
    // One code for both factors: the code is not disentangled (entropy 1) but each factor is complete.
    let d1, c1 = Information.dci (array2D [ [ 1.0; 1.0 ]; [ 0.0; 0.0 ] ])
    assertClose 1e-8 0.0 [| 0.0; 1.0 |] [| d1; c1 |]

[<Fact>]
let ``active units count codes whose posterior-mean variance exceeds 0.01`` () =
    let wide = Array.init 100 (fun i -> float i / 10.0)
    let narrow = Array.init 100 (fun i -> float (i % 2) * 0.1)
    // narrow has variance 0.0025.
    assertClose 1e-12 0.0 [| 0.0025 |] [| (Information.activity [| narrow |]).[0] |]
    Assert.Equal(1, Information.activeUnits [| wide; narrow |])
