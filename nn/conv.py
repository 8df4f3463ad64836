"""2-d convolution (cross-correlation, as in PyTorch): `conv2d` and the `Conv2d` layer.

    out[n, o, i, j] = bias[o] + sum_{c, p, q} weight[o, c, p, q] * x_padded[n, c, i*sh + p*dh, j*sw + q*dw]

computed as one matrix product: the windows of the padded input (im2col, see sliding_windows) flattened to
rows of length C*kh*kw, times the weight flattened to (O, C*kh*kw) and transposed. Backward is that of the
matmul (dL/dweight = rows^T G, dL/drows = G weight) followed by col2im, which adds every window's gradient
back into the image, and by cutting away the padding.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.ops.joining import pad
from autograd.tensor_class import Tensor
from nn.linear import reset_affine
from nn.module import Module
from nn.parameter import Parameter
from nn.sliding_windows import im2col, output_size, pair


def _padding(padding: Any, kernel: tuple, dilation: tuple, stride: tuple) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) from an int, a pair, 'valid' (none) or 'same' (output size = input size)."""
    if padding == "valid":
        return 0, 0, 0, 0
    if padding == "same":
        if stride != (1, 1):
            raise ValueError("conv2d: padding='same' is not supported for strided convolutions")
        total = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return total[0] // 2, total[0] - total[0] // 2, total[1] // 2, total[1] - total[1] // 2
    if isinstance(padding, str):
        raise ValueError(f"conv2d: padding must be an int, a pair of ints, 'valid' or 'same', got {padding!r}")
    ph, pw = pair(padding, "padding", "conv2d")
    if ph < 0 or pw < 0:
        raise ValueError(f"conv2d: padding must be non-negative, got {padding!r}")
    return ph, ph, pw, pw


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1) -> Tensor:
    """Convolve a batch (N, C, H, W) (or one image (C, H, W)) with weight (O, C, kh, kw): output (N, O, OH, OW)."""
    stride, dilation = pair(stride, "stride", "conv2d"), pair(dilation, "dilation", "conv2d")
    if min(stride) < 1 or min(dilation) < 1:
        raise ValueError(f"conv2d: stride and dilation must be positive, got stride={stride}, dilation={dilation}")
    if weight.ndim != 4:
        raise ValueError(f"conv2d: weight must have shape (out_channels, in_channels, kh, kw), got {weight.shape}")
    if input.ndim not in (3, 4):
        raise ValueError(f"conv2d: expected an input of shape (N, C, H, W) or (C, H, W), got {input.shape}")
    if input.ndim == 3:
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation).squeeze(0)
    (n, c, h, w), (o, wc, kh, kw) = input.shape, weight.shape
    if c != wc:
        raise ValueError(f"conv2d: the input has {c} channels (shape {input.shape}) but the weight expects {wc} "
                         f"(weight shape {weight.shape})")
    if bias is not None and bias.shape != (o,):
        raise ValueError(f"conv2d: bias must have shape ({o},) for {o} output channels, got {bias.shape}")
    top, bottom, left, right = _padding(padding, (kh, kw), dilation, stride)
    oh = output_size(h + top + bottom, kh, stride[0], dilation[0])
    ow = output_size(w + left + right, kw, stride[1], dilation[1])
    if oh < 1 or ow < 1:
        raise ValueError(f"conv2d: the padded input ({h + top + bottom} x {w + left + right}) is smaller than the "
                         f"dilated kernel ({dilation[0] * (kh - 1) + 1} x {dilation[1] * (kw - 1) + 1})")
    if top or bottom or left or right:
        input = pad(input, (left, right, top, bottom))
    windows = im2col(input, (kh, kw), stride, dilation)  # (N, C, OH, OW, kh, kw)
    rows = windows.permute(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
    out = rows @ weight.reshape(o, c * kh * kw).T  # (N*OH*OW, O)
    if bias is not None:
        out = out + bias
    return out.reshape(n, oh, ow, o).permute(0, 3, 1, 2)


class Conv2d(Module):
    """A 2-d convolution layer: weight (out_channels, in_channels, kh, kw), bias (out_channels,).

    Initialised as PyTorch: weight ~ kaiming_uniform(a=sqrt(5)), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with
    fan_in = in_channels*kh*kw, and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, bias: bool = True) -> None:
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = pair(kernel_size, "kernel_size", "Conv2d")
        self.stride = pair(stride, "stride", "Conv2d")
        self.padding = padding if isinstance(padding, str) else pair(padding, "padding", "Conv2d")
        self.dilation = pair(dilation, "dilation", "Conv2d")
        _padding(self.padding, self.kernel_size, self.dilation, self.stride)  # refuse a bad padding now
        self.weight = Parameter(np.empty((out_channels, in_channels, *self.kernel_size), dtype=np.float32))
        if bias:
            self.bias = Parameter(np.empty(out_channels, dtype=np.float32))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        reset_affine(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation)

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding not in ((0, 0), "valid"):
            text += f", padding={self.padding!r}" if isinstance(self.padding, str) else f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.bias is None:
            text += ", bias=False"
        return text
