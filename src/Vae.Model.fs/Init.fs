/// Weight initializers, each drawing from an explicit generator. Biases start at zero.
module Vae.Model.Init

open Vae.Model.Interop

/// The variance-scaling scheme of a layer's weights (fan-in = inputs per output unit, kernel size included).
type Scheme =
    /// Normal with std sqrt(2 / fanIn): hidden layers followed by ReLU (He et al. 2015).
    | HeNormal
    /// Normal with std sqrt(1 / fanIn): linear outputs (latent heads, the decoder's last layer).
    | LecunNormal

/// Standard deviation of the scheme for a fan-in.
let std (scheme: Scheme) (fanIn: int64) : float =
    if fanIn < 1L then invalidArg "fanIn" $"fan-in must be positive, got {fanIn}"
    match scheme with
    | HeNormal -> sqrt (2.0 / float fanIn)
    | LecunNormal -> sqrt (1.0 / float fanIn)

/// A weight tensor of the given shape drawn from the scheme.
let weight (scheme: Scheme) (gen: TorchSharp.torch.Generator) (spec: TensorSpec) (fanIn: int64) (shape: int64[]) =
    use scale = scalar (std scheme fanIn)
    (randn gen spec shape).mul_ scale
