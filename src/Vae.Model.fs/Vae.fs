/// A VAE as data: its pure encoder and decoder over a parameter record, its likelihood and latent size.
namespace Vae.Model

open Vae.Model.Interop

/// A VAE over parameters 'P: `Encode p x` gives (mu, logvar) of q(z|x), `Decode p z` the decoder output
/// (logits for Bernoulli data, means for squared error, concat(means, log-scales) for Gaussian and Laplace: see
/// `Losses.Likelihood`; `Inference.mean` reads the data mean out of it). Both take flat examples [batch; features].
type Vae<'P> =
    {
        Encode: 'P -> Tensor -> Tensor * Tensor
        Decode: 'P -> Tensor -> Tensor
        Likelihood: Losses.Likelihood
        LatentDim: int
        /// The convolutions it runs, with the input sizes they see, for the kernel self-check (`KernelCheck`).
        Convolutions: KernelCheck.ConvLayer list
    }

    /// `Encode p x` as a method, for C# callers.
    member v.EncodeBatch(p: 'P, x: Tensor) : struct (Tensor * Tensor) =
        let mu, logvar = v.Encode p x
        struct (mu, logvar)

    /// `Decode p z` as a method, for C# callers.
    member v.DecodeBatch(p: 'P, z: Tensor) : Tensor = v.Decode p z
