/// Generic traversal of parameter records: any F# record (nested records, arrays of records) whose leaves are
/// tensors. Optimizers and checkpoints work on every model through these functions, with no per-model code.
///
/// Fields of other types (ints for strides, output lengths, ...) are static structure: traversals skip them
/// and rebuilding copies them from the template.
module Vae.Model.Params

open System
open System.Collections.Concurrent
open Microsoft.FSharp.Reflection
open TorchSharp
open Vae.Model.Interop

/// How values of one .NET type are traversed; computed once per type.
type private Shape =
    | Leaf
    | Static
    | Record of names: string[] * fields: Shape[] * read: (obj -> obj[]) * make: (obj[] -> obj)
    | ArrayOf of elementType: Type * element: Shape

let private shapes = ConcurrentDictionary<Type, Shape>()

let rec private shapeOf (t: Type) : Shape =
    shapes.GetOrAdd(
        t,
        fun t ->
            if typeof<Tensor>.IsAssignableFrom t then
                Leaf
            elif FSharpType.IsRecord(t, true) then
                let fields = FSharpType.GetRecordFields(t, true)
                Record(
                    fields |> Array.map (fun f -> f.Name),
                    fields |> Array.map (fun f -> shapeOf f.PropertyType),
                    FSharpValue.PreComputeRecordReader(t, true),
                    FSharpValue.PreComputeRecordConstructor(t, true)
                )
            elif t.IsArray && t.GetArrayRank() = 1 then
                let e = t.GetElementType()
                ArrayOf(e, shapeOf e)
            else
                Static
    )

let rec private collect (shape: Shape) (path: string) (value: obj) (acc: ResizeArray<string * Tensor>) =
    match shape with
    | Leaf -> acc.Add((path, value :?> Tensor))
    | Static -> ()
    | Record(names, fields, read, _) ->
        let values = read value
        for i in 0 .. names.Length - 1 do
            let p = if path = "" then names.[i] else path + "." + names.[i]
            collect fields.[i] p values.[i] acc
    | ArrayOf(_, element) ->
        let arr = value :?> Array
        for i in 0 .. arr.Length - 1 do
            collect element (if path = "" then string i else path + "." + string i) (arr.GetValue i) acc

let rec private rebuild (shape: Shape) (template: obj) (leaves: Tensor[]) (next: int ref) : obj =
    match shape with
    | Leaf ->
        let t = leaves.[next.Value]
        next.Value <- next.Value + 1
        box t
    | Static -> template
    | Record(_, fields, read, make) ->
        let values = read template
        make (Array.init fields.Length (fun i -> rebuild fields.[i] values.[i] leaves next))
    | ArrayOf(elementType, element) ->
        let src = template :?> Array
        let dst = Array.CreateInstance(elementType, src.Length)
        for i in 0 .. src.Length - 1 do
            dst.SetValue(rebuild element (src.GetValue i) leaves next, i)
        box dst

let private named (p: 'P) : (string * Tensor)[] =
    let acc = ResizeArray()
    collect (shapeOf typeof<'P>) "" (box p) acc
    acc.ToArray()

/// The tensor leaves of a parameter record in a fixed order (fields in declaration order, depth first).
let flatten (p: 'P) : Tensor[] = named p |> Array.map snd

/// Dotted paths of the leaves ("Encoder.0.W", ...), in the order of `flatten`.
let paths (p: 'P) : string[] = named p |> Array.map fst

/// The record with the structure (and static fields) of `template` and the given leaves, in `flatten` order.
let unflatten (template: 'P) (leaves: Tensor[]) : 'P =
    let next = ref 0
    let result =
        try
            rebuild (shapeOf typeof<'P>) (box template) leaves next :?> 'P
        with :? IndexOutOfRangeException ->
            invalidArg "leaves" $"too few tensors for {typeof<'P>.Name}: got {leaves.Length}"
    if next.Value <> leaves.Length then invalidArg "leaves" $"expected {next.Value} tensors for {typeof<'P>.Name}, got {leaves.Length}"
    result

/// Applies `f` to every leaf.
let map (f: Tensor -> Tensor) (p: 'P) : 'P = unflatten p (flatten p |> Array.map f)

/// Applies `f` to corresponding leaves of two records of the same structure.
let map2 (f: Tensor -> Tensor -> Tensor) (p: 'P) (q: 'P) : 'P = unflatten p (Array.map2 f (flatten p) (flatten q))

/// Folds over the leaves in `flatten` order.
let fold (f: 'S -> Tensor -> 'S) (state: 'S) (p: 'P) : 'S = flatten p |> Array.fold f state

/// Total number of scalar parameters.
let count (p: 'P) : int64 = fold (fun n (t: Tensor) -> n + t.numel ()) 0L p

/// Disposes every leaf (native memory is not reclaimed by the GC in time).
let dispose (p: 'P) : unit =
    for t in flatten p do
        t.Dispose()

/// Deep copy: every leaf cloned, detached from autograd.
let copy (p: 'P) : 'P = map (fun t -> t.detach().clone()) p

/// C#-friendly `map`.
let Map (f: Func<Tensor, Tensor>, p: 'P) : 'P = map f.Invoke p

/// C#-friendly `map2`.
let Map2 (f: Func<Tensor, Tensor, Tensor>, p: 'P, q: 'P) : 'P = map2 (fun a b -> f.Invoke(a, b)) p q

/// C#-friendly `fold`.
let Fold (f: Func<'S, Tensor, 'S>, state: 'S, p: 'P) : 'S = fold (fun s t -> f.Invoke(s, t)) state p
