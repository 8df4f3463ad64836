"""2-d pooling: `max_pool2d` / `MaxPool2d` and `avg_pool2d` / `AvgPool2d`, over the windows of sliding_windows.

    max: out[n, c, i, j] = max over the window at (i, j) of the input padded with -inf;
         the gradient goes to the window's largest element (the first one, in row-major order, on a tie,
         as PyTorch).
    avg: out[n, c, i, j] = mean over the window of the input padded with zeros (the padding counts, as
         PyTorch's default count_include_pad=True);  each element gets 1/(kh*kw) of the gradient of
         every window it is in.

stride defaults to kernel_size (windows side by side); padding may be at most half the kernel.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.ops.arithmetic import where
from autograd.ops.joining import pad
from autograd.tensor_class import Tensor
from nn.module import Module
from nn.sliding_windows import im2col, output_size, pair


def _windows(input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, fill: float,
             op: str) -> Tensor:
    """The (N, C, OH, OW, kh*kw) windows of the input padded with `fill`, after checking the arguments."""
    kernel = pair(kernel_size, "kernel_size", op)
    stride = kernel if stride is None else pair(stride, "stride", op)
    padding, dilation = pair(padding, "padding", op), pair(dilation, "dilation", op)
    if min(kernel) < 1 or min(stride) < 1 or min(dilation) < 1:
        raise ValueError(f"{op}: kernel_size, stride and dilation must be positive, got kernel_size={kernel}, "
                         f"stride={stride}, dilation={dilation}")
    if min(padding) < 0 or any(2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(f"{op}: padding should be non-negative and at most half of the kernel size, got "
                         f"padding={padding} for kernel_size={kernel}")
    if input.ndim not in (3, 4):
        raise ValueError(f"{op}: expected an input of shape (N, C, H, W) or (C, H, W), got {input.shape}")
    h, w = input.shape[-2] + 2 * padding[0], input.shape[-1] + 2 * padding[1]
    if output_size(h, kernel[0], stride[0], dilation[0]) < 1 or output_size(w, kernel[1], stride[1], dilation[1]) < 1:
        raise ValueError(f"{op}: the padded input ({h} x {w}) is smaller than the kernel {kernel} "
                         f"(dilation {dilation})")
    batch = input if input.ndim == 4 else input.unsqueeze(0)
    if padding != (0, 0):
        batch = pad(batch, (padding[1], padding[1], padding[0], padding[0]), value=fill)
    windows = im2col(batch, kernel, stride, dilation)
    windows = windows.reshape(*windows.shape[:4], kernel[0] * kernel[1])
    return windows if input.ndim == 4 else windows.squeeze(0)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1) -> Tensor:
    """The largest element of each window: (N, C, H, W) -> (N, C, OH, OW)."""
    windows = _windows(input, kernel_size, stride, padding, dilation, -np.inf, "max_pool2d")
    first = windows._data.argmax(axis=-1)[..., None]
    winner = np.arange(windows.shape[-1]) == first
    return where(winner, windows, 0.0).sum(-1)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0) -> Tensor:
    """The mean of each window (zero padding included in the count): (N, C, H, W) -> (N, C, OH, OW)."""
    return _windows(input, kernel_size, stride, padding, 1, 0.0, "avg_pool2d").mean(-1)


class MaxPool2d(Module):
    """Max pooling over kernel_size windows (stride defaults to kernel_size)."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation

    def forward(self, input: Tensor) -> Tensor:
        return max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}")


class AvgPool2d(Module):
    """Average pooling over kernel_size windows (stride defaults to kernel_size)."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
