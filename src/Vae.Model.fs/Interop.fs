/// The thin layer over TorchSharp's snake_case, overloaded API that the rest of the model code uses: tensor
/// specs (dtype and device), explicit-generator random draws, and scalar helpers with fixed F# types.
module Vae.Model.Interop

open TorchSharp

/// A libtorch tensor.
type Tensor = torch.Tensor

/// Element type and device of newly created tensors. The device is a parameter, never hard-coded.
type TensorSpec =
    { Dtype: torch.ScalarType
      Device: torch.Device }

    /// float32 on the CPU: the training default.
    static member Float32 = { Dtype = torch.ScalarType.Float32; Device = torch.CPU }

    /// float64 on the CPU: for numerical tests and reference computations.
    static member Float64 = { Dtype = torch.ScalarType.Float64; Device = torch.CPU }

    /// The given dtype on the given device.
    static member Create(dtype: torch.ScalarType, device: torch.Device) = { Dtype = dtype; Device = device }

/// A new random generator on the CPU with the given seed.
let generator (seed: uint64) : torch.Generator = new torch.Generator(seed, torch.CPU)

/// Standard normal draws of the given shape from an explicit generator.
let randn (gen: torch.Generator) (spec: TensorSpec) (shape: int64[]) : Tensor =
    torch.randn (shape, dtype = spec.Dtype, device = spec.Device, generator = gen)

/// Zeros of the given shape.
let zeros (spec: TensorSpec) (shape: int64[]) : Tensor = torch.zeros (shape, dtype = spec.Dtype, device = spec.Device)

/// A tensor from a float array, reshaped.
let ofArray (spec: TensorSpec) (shape: int64[]) (values: float[]) : Tensor =
    use flat = torch.tensor (values, dtype = torch.ScalarType.Float64)
    use shaped = flat.reshape (shape)
    shaped.``to`` (spec.Dtype, spec.Device)

/// The elements of a tensor as float64 values, in row-major order.
let toArray (t: Tensor) : float[] =
    use d = t.detach ()
    use f = d.``to`` (torch.ScalarType.Float64, torch.CPU)
    use c = f.contiguous ()
    c.data<float>().ToArray()

/// The value of a one-element tensor.
let toScalar (t: Tensor) : float = t.ToDouble()

/// The shape of a tensor as an int64 array.
let shapeOf (t: Tensor) : int64[] = t.shape

/// ReLU.
let relu (t: Tensor) : Tensor = torch.nn.functional.relu t

/// Numerically stable softplus, log(1 + exp x), computed without overflow.
let softplus (t: Tensor) : Tensor = torch.nn.functional.softplus t

/// Sum over one dimension.
let sumDim (dim: int64) (t: Tensor) : Tensor = t.sum (dim)

/// A float as a TorchSharp Scalar (picks the Scalar overload of methods that also take a Tensor). Bind it with `use`
/// while the call that takes it runs: a temporary's finalizer may free the native value during that call, since
/// TorchSharp reads the handle and does not keep the Scalar alive (a test once failed with a freed Scalar).
let scalar (x: float) : Scalar = x.ToScalar()
