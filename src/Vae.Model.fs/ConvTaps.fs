/// Convolutions and transposed convolutions written as matrix products and strided slices, one term per kernel
/// tap, for the layers whose channel counts oneDNN's convolution kernels get wrong on some processors
/// (docs/zen4-deconv.md). Autograd derives their gradients from the same products and slices, so no convolution
/// kernel runs forward or backward. Inputs and outputs are [batch; channels; height; width] tensors; outputs are
/// in channels-last memory order, as the fast path's are.
module Vae.Model.ConvTaps

open TorchSharp
open Vae.Model.Interop

type private F = torch.nn.functional

/// [batch; channels; height; width] viewed as [batch; height; width; channels].
let private channelsInnermost (t: Tensor) : Tensor = t.permute (0L, 2L, 3L, 1L)

/// [batch; height; width; channels] viewed as [batch; channels; height; width] (memory stays channels-last).
let private channelsSecond (t: Tensor) : Tensor = t.permute (0L, 3L, 1L, 2L)

/// Rows i, i + sh, ... and columns j, j + sw, ... of [batch; height; width; channels]: `rows` x `cols` of them.
let private strided (t: Tensor) (i: int64) (j: int64) (sh: int64, sw: int64) (rows: int64, cols: int64) : Tensor =
    t.slice(1L, i, i + sh * (rows - 1L) + 1L, sh).slice(2L, j, j + sw * (cols - 1L) + 1L, sw)

let private taps (kh: int64) (kw: int64) =
    [ for i in 0L .. kh - 1L do
          for j in 0L .. kw - 1L -> i, j ]

/// conv2d(x, w [out; in; kh; kw], b) with strides (sh, sw) and zero padding (ph, pw).
let conv2d (x: Tensor) (w: Tensor) (b: Tensor) (sh: int64, sw: int64) (ph: int64, pw: int64) : Tensor =
    let cout, cin, kh, kw = w.shape.[0], w.shape.[1], w.shape.[2], w.shape.[3]
    let padded = F.pad (x, [| pw; pw; ph; ph |]) |> channelsInnermost
    let ho, wo = (padded.shape.[1] - kh) / sh + 1L, (padded.shape.[2] - kw) / sw + 1L
    let y =
        if cin <= cout then
            // Few input channels: each output position's patch side by side (kh kw cin values), one product.
            let patches = torch.cat ([| for i, j in taps kh kw -> strided padded i j (sh, sw) (ho, wo) |], 3L)
            patches.matmul (w.permute(2L, 3L, 1L, 0L).reshape(kh * kw * cin, cout))
        else
            // Few output channels: every tap's contribution at every input position in one product, then each
            // tap's share picked out at the output positions and summed.
            let all = padded.matmul (w.permute(1L, 2L, 3L, 0L).reshape(cin, kh * kw * cout))
            taps kh kw |> List.map (fun (i, j) -> (strided all i j (sh, sw) (ho, wo)).narrow(3L, (i * kw + j) * cout, cout)) |> List.reduce (+)
    y + b |> channelsSecond

/// conv_transpose2d(x, w [in; out; kh; kw], b) with strides (sh, sw), padding (ph, pw) and output padding (oh, ow).
let convTranspose2d (x: Tensor) (w: Tensor) (b: Tensor) (sh: int64, sw: int64) (ph: int64, pw: int64) (oh: int64, ow: int64) =
    let cin, cout, kh, kw = w.shape.[0], w.shape.[1], w.shape.[2], w.shape.[3]
    let rows = channelsInnermost x
    let h, wd = rows.shape.[1], rows.shape.[2]
    // Every tap's contribution of every input position, added into the output positions it reaches.
    let all = rows.matmul (w.permute(0L, 2L, 3L, 1L).reshape(cin, kh * kw * cout))
    let full = torch.zeros ([| rows.shape.[0]; (h - 1L) * sh + kh + oh; (wd - 1L) * sw + kw + ow; cout |], dtype = x.dtype, device = x.device)
    for i, j in taps kh kw do
        (strided full i j (sh, sw) (h, wd)).add_(all.narrow (3L, (i * kw + j) * cout, cout)) |> ignore
    let ho, wo = (h - 1L) * sh - 2L * ph + kh + oh, (wd - 1L) * sw - 2L * pw + kw + ow
    full.narrow(1L, ph, ho).narrow(2L, pw, wo) + b |> channelsSecond
