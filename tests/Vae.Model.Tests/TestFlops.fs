module Vae.Model.Tests.TestFlops

open Xunit
open Vae.Model
open Vae.Model.Interop
open Vae.Model.Layers
open Vae.Model.Tests.TestUtil

// Counts worked out by hand from the layer definitions, not from the code under test.

[<Fact>]
let ``a convolution's multiply-adds are output samples x out x in x kernel`` () =
    ensureTorch ()
    let gen = generator 1UL
    // 32 -> 64 channels, kernel 11, stride 5, padding 5 over 1000 samples: (1000 + 10 - 11) / 5 + 1 = 200 outputs.
    let c = conv1d Init.HeNormal gen TensorSpec.Float32 32 64 11 5 5
    Assert.Equal((200L * 64L * 32L * 11L, 200), Flops.conv1d c 1000)
    // Its training step at batch 2: forward, weight gradient and input gradient, 2 FLOPs per multiply-add each.
    Assert.Equal(6L * 2L * 4_505_600L, Flops.training 2 Flops.Inner 4_505_600L)
    Assert.Equal(4L * 2L * 4_505_600L, Flops.training 2 Flops.ReadsData 4_505_600L)
    // The mirrored transposed convolution 64 -> 32, output padding 4, from 1000 to 5000 samples: every input
    // sample scatters 32 x 11 products from each of 64 channels.
    let t = convT1d Init.HeNormal gen TensorSpec.Float32 64 32 11 5 5 4
    Assert.Equal((1000L * 64L * 32L * 11L, 5000), Flops.convT1d t 1000)
    // 3x3, stride 2, padding 1: 28 -> 14; its transpose 14 -> 28.
    let c2 = conv2d Init.HeNormal gen TensorSpec.Float32 1 32 3 2 1
    Assert.Equal((14L * 14L * 32L * 9L, 14), Flops.conv2d c2 28)
    let t2 = convT2d Init.HeNormal gen TensorSpec.Float32 64 32 3 2 1 1
    Assert.Equal((14L * 14L * 64L * 32L * 9L, 28), Flops.convT2d t2 14)

[<Fact>]
let ``a training step of the study's models counts every layer once`` () =
    ensureTorch ()
    let gen = generator 1UL
    // MLP-VAE 784-500-20 at batch 128: 784x500 reads the data; 500x40, 20x500 and 500x784 are inner layers.
    let mlp = DenseVae.init DenseVae.mlpDefault TensorSpec.Float32 gen
    Assert.Equal(128L * (4L * 392_000L + 6L * (20_000L + 10_000L + 392_000L)), DenseVae.trainingFlops mlp 128)
    // MNIST Conv-VAE: conv 1->32 (14x14 out), conv 32->64 (7x7 out), Dense 3136->256, head 256->40,
    // project 20->3136, transposed convs 64->64 from 7x7, 64->32 from 14x14, 32->1 from 28x28, all 3x3.
    let conv = ConvVae2d.init ConvVae2d.defaultConfig TensorSpec.Float32 gen
    let inner = 49L * 64L * 32L * 9L + 3136L * 256L + 256L * 40L + 20L * 3136L + 49L * 64L * 64L * 9L + 196L * 64L * 32L * 9L + 784L * 32L * 9L
    Assert.Equal(64L * (4L * 196L * 32L * 9L + 6L * inner), ConvVae2d.trainingFlops conv 64)
    // Trace Conv-VAE (kernels 11, strides 5): 5000 -> 1000 -> 200 samples, Dense 12800 -> 256, heads of 2 x 2.
    let trace = ConvVae1d.init ConvVae1d.defaultConfig TensorSpec.Float32 gen
    let inner1 =
        200L * 64L * 32L * 11L
        + 12800L * 256L
        + 256L * 4L
        + 2L * 256L
        + 256L * 12800L
        + 200L * 64L * 64L * 11L
        + 1000L * 64L * 32L * 11L
        + 5000L * 32L * 11L
    Assert.Equal(16L * (4L * 1000L * 32L * 11L + 6L * inner1), ConvVae1d.trainingFlops trace 16)
