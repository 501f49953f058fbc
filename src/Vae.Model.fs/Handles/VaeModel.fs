/// A VAE architecture before it has parameters, built from its config: the one way to make a model that is
/// then initialized, loaded from a file or trained, without naming its parameter type.
namespace Vae.Model

open TorchSharp
open Vae.Model.Interop
open Vae.Model.Optim

/// A VAE architecture of any kind (MLP/DNN, Conv2d, Conv1d, residual Conv1d): what it is, and the ways to give it parameters.
/// Parameters are float32 on the CPU, as the training runs use them.
[<AbstractClass>]
type VaeModel internal () =
    /// Latent dimensions.
    abstract LatentDim: int
    /// The decoder's likelihood.
    abstract Likelihood: Losses.Likelihood
    /// The convolutions it runs, with the input sizes they see, for the kernel self-check (`KernelCheck`).
    abstract Convolutions: KernelCheck.ConvLayer list
    /// Fresh parameters drawn from `gen`.
    abstract Init: gen: torch.Generator -> TrainedVae
    /// The parameters of a trained-model file or of a checkpoint (its optimizer state is skipped) at `path`,
    /// onto `device`. Fails if the file's names, shapes or dtypes differ from this architecture's.
    abstract Load: path: string * device: torch.Device -> TrainedVae
    /// A training state: fresh parameters drawn from `gen`, and `optimizer`'s initial state; `beta` weighs the KL.
    abstract StartTraining: optimizer: GradientTransformation * beta: float * gen: torch.Generator -> TrainState
    /// FLOPs of one training step (forward and backward) on a batch of `batch`, counted from the layer shapes.
    abstract TrainingFlops: batch: int -> int64

    /// An MLP/DNN VAE (`DenseVae`).
    static member Dense(cfg: DenseVae.Config) : VaeModel = PackedModel(DenseVae.model cfg, DenseVae.init cfg, DenseVae.trainingFlops)

    /// A convolutional VAE for square images (`ConvVae2d`).
    static member Conv2d(cfg: ConvVae2d.Config) : VaeModel = PackedModel(ConvVae2d.model cfg, ConvVae2d.init cfg, ConvVae2d.trainingFlops)

    /// A convolutional VAE for 1-D traces (`ConvVae1d`).
    static member Conv1d(cfg: ConvVae1d.Config) : VaeModel = PackedModel(ConvVae1d.model cfg, ConvVae1d.init cfg, ConvVae1d.trainingFlops)

    /// A residual convolutional VAE for 1-D traces (`ResConvVae1d`).
    static member ResConv1d(cfg: ResConvVae1d.Config) : VaeModel =
        PackedModel(ResConvVae1d.model cfg, ResConvVae1d.init cfg, ResConvVae1d.trainingFlops)

/// The `VaeModel` of a VAE over parameters 'P with its initializer and FLOP count.
and internal PackedModel<'P>(vae: Vae<'P>, init: TensorSpec -> torch.Generator -> 'P, flops: 'P -> int -> int64) =
    inherit VaeModel()
    let fresh gen = init TensorSpec.Float32 gen
    // A file is read into the structure of some parameters; their values do not matter, so any seed will do.
    let template () =
        use gen = generator 0UL
        fresh gen
    override _.LatentDim = vae.LatentDim
    override _.Likelihood = vae.Likelihood
    override _.Convolutions = vae.Convolutions
    override _.Init gen = PackedVae(vae, fresh gen, flops)
    override _.Load(path, device) =
        let shape = template ()
        try
            PackedVae(vae, fst (Checkpoint.loadParams path device shape), flops)
        finally
            Params.dispose shape
    override _.StartTraining(optimizer, beta, gen) =
        let p = fresh gen
        let trainer: Training.Trainer<'P> = { Vae = vae; Optimizer = optimizer; Beta = beta }
        new PackedTrainState<'P>(trainer, p, Optim.init optimizer p, flops)
    override _.TrainingFlops batch =
        let p = template ()
        try
            flops p batch
        finally
            Params.dispose p
