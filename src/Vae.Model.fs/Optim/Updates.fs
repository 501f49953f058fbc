/// The updates passed along a chain of gradient transformations, one per parameter leaf, kept as a sum of
/// scaled terms until they are added to the parameters. Linear transformations (a scaling, decoupled weight
/// decay) then act on the coefficients and add terms instead of passing over the tensors, so a chain forms each
/// leaf's update in one sum, in a fixed order: the floats are those of that sum, whatever the chain's length.
module Vae.Model.Updates

open TorchSharp
open Vae.Model.Interop

/// One term of a leaf's update: `Coefficient * Numerator`, divided element-wise by `Denominator` if there is one.
[<NoEquality; NoComparison>]
type Term = { Coefficient: float; Numerator: Tensor; Denominator: Tensor option }

/// The update of one parameter leaf: the sum of its terms, accumulated in list order.
type Leaf = Term list

/// The parameter leaves a transformation sees: their dotted paths (`Params.paths`) and tensors, in
/// `Params.flatten` order. Transformations only read them.
[<NoEquality; NoComparison>]
type Leaves = { Paths: string[]; Values: Tensor[] }

/// The leaves of a parameter record.
let leavesOf (p: 'P) : Leaves = { Paths = Params.paths p; Values = Params.flatten p }

/// The leaves at the given indices.
let pick (indices: int[]) (leaves: Leaves) : Leaves =
    { Paths = indices |> Array.map (fun i -> leaves.Paths.[i]); Values = indices |> Array.map (fun i -> leaves.Values.[i]) }

/// The update given by one tensor (e.g. a gradient), unscaled.
let ofTensor (t: Tensor) : Leaf = [ { Coefficient = 1.0; Numerator = t; Denominator = None } ]

/// The leaf's update as one tensor. A single unscaled term is its numerator itself; otherwise a new tensor
/// c0 n0 (/ d0) receives each further term in order, c n / d by `addcdiv_` or c n by `add_`. Reads its terms'
/// tensors only.
let evaluate (leaf: Leaf) : Tensor =
    match leaf with
    | [] -> invalidArg "leaf" "an update has at least one term"
    | [ { Coefficient = 1.0; Numerator = n; Denominator = None } ] -> n
    | first :: rest ->
        use c0 = scalar first.Coefficient
        let sum =
            match first.Denominator with
            | None -> first.Numerator * c0
            | Some d -> (first.Numerator * c0).div_(d)
        for t in rest do
            use c = scalar t.Coefficient
            match t.Denominator with
            | None -> sum.add_ (t.Numerator, c) |> ignore
            | Some d -> sum.addcdiv_ (t.Numerator, d, c) |> ignore
        sum

/// The update multiplied by `s`: every coefficient c becomes c * s.
let scale (s: float) (leaf: Leaf) : Leaf = leaf |> List.map (fun t -> { t with Coefficient = t.Coefficient * s })
