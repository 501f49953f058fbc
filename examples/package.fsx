// The model layer from its NuGet package, as an F# script user would take it. Run after
// `dotnet fsi build.fsx Pack`, which fills the local feed artifacts/packages:  dotnet fsi examples/package.fsx
// The feed is named in examples/nuget.config, which `#r "nuget:"` reads from the script's folder (`#i "nuget:"`
// would need an absolute path).
#r "nuget: FunctionalVae.Model"

open Vae.Model
open Vae.Model.Interop

NativeSetup.initialize () |> ignore
let gen = generator 0UL
// 128 binary 16-pixel "images": each pixel on with probability 0.3.
let data =
    let u = TorchSharp.torch.rand ([| 128L; 16L |], generator = gen)
    u.lt(TorchSharp.torch.tensor 0.3).to_type(TorchSharp.torch.ScalarType.Float32)
let cfg = DenseVae.mlpDefault |> DenseVae.withInput 16 |> DenseVae.withLatent 2
let vae = DenseVae.model cfg
let steps = 30L
let trainer = Training.studyTrainer vae 1.0 steps
let p = DenseVae.init cfg TensorSpec.Float32 gen
let s = Optim.init trainer.Optimizer p
let losses =
    [ for step in 0L .. steps - 1L ->
          use batch = data.narrow (0L, (step * 32L) % 128L, 32L)
          (Training.stepInPlace trainer p s batch gen step).Loss ]
printfn "FunctionalVae.Model from its package: %d parameters, loss %.3f -> %.3f over %d steps" (Params.count p) losses.Head (List.last losses) steps
if not (List.last losses < losses.Head) then
    eprintfn "package.fsx: the loss did not fall"
    exit 1
