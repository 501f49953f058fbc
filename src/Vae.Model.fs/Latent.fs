/// The Gaussian latent: reparameterized draws from q(z|x) and draws from the prior N(0, I).
module Vae.Model.Latent

open TorchSharp
open Vae.Model.Interop

/// z = mu + exp(logvar / 2) * eps, with the standard normal noise `eps` given (same shape as mu).
let reparameterizeWith (eps: Tensor) (mu: Tensor) (logvar: Tensor) : Tensor =
    use one = scalar 1.0
    torch.addcmul (mu, (logvar * 0.5).exp_(), eps, one)

/// z = mu + exp(logvar / 2) * eps with eps drawn from the generator.
let reparameterize (gen: torch.Generator) (mu: Tensor) (logvar: Tensor) : Tensor =
    let eps = torch.randn (mu.shape, dtype = mu.dtype, device = mu.device, generator = gen)
    reparameterizeWith eps mu logvar

/// `count` draws from the prior N(0, I) of dimension `latent`.
let samplePrior (gen: torch.Generator) (spec: TensorSpec) (count: int) (latent: int) : Tensor = randn gen spec [| int64 count; int64 latent |]
