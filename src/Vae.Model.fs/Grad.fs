/// Gradients of scalar functions of parameter records through torch.autograd.grad: no `.grad` fields are
/// read or written, so parameters carry no hidden state between calls.
module Vae.Model.Grad

open TorchSharp
open Vae.Model.Interop

/// The value of `f p` with auxiliary output, and the gradient of the value with respect to every leaf of `p`
/// (a record of the same structure). The value is detached from the graph.
let valueAndGradAux (f: 'P -> Tensor * 'A) (p: 'P) : Tensor * 'A * 'P =
    let leaves = Params.flatten p |> Array.map (fun t -> t.detach().requires_grad_(true))
    let value, aux = f (Params.unflatten p leaves)
    let grads = torch.autograd.grad ([| value |], leaves)
    value.detach (), aux, Params.unflatten p (Seq.toArray grads)

/// The value of `f p` and its gradient with respect to every leaf of `p`.
let valueAndGrad (f: 'P -> Tensor) (p: 'P) : Tensor * 'P =
    let value, (), grads = valueAndGradAux (fun q -> f q, ()) p
    value, grads
