"""Max and average pooling, 2-d (`max_pool2d`, `avg_pool2d`, `MaxPool2d`, `AvgPool2d`) and 1-d (`max_pool1d`,
`avg_pool1d`, `MaxPool1d`, `AvgPool1d`: the 2-d ones over an image one pixel high).

    max: out[n, c, i, j] = max over the window at (i, j) of the input padded with -inf, one node (MaxPool of
         nn.max_pooling, which keeps each window's winner); the gradient goes to the window's largest element
         (the first one, in row-major order, on a tie, as PyTorch); return_indices also gives where it is, as an
         index into the flattened (H*W) input.
    avg: over the windows of nn.sliding_windows,
         out[n, c, i, j] = sum over the window of the input padded with zeros / divisor; each element gets
         1/divisor of the gradient of every window it is in. The divisor counts the window's elements that lie
         in the input and its padding (count_include_pad=True, PyTorch's default) or in the input only.

stride defaults to kernel_size (windows side by side); padding may be at most half the kernel. ceil_mode
rounds the number of windows up: a last window may hang over the padded input (never starting past it).
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from autograd.ops.joining import pad
from autograd.tensor_class import Tensor
from nn.im2col import Geometry
from nn.max_pooling import MaxPool, largest, winner_indices
from nn.module import Module
from nn.sliding_windows import im2col, pair, pooled_size, single


class _Windows(NamedTuple):
    """Where a pooling's windows lie, per dimension (height, width)."""
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    count: tuple[int, int]  # how many windows


def _unset(stride: Any) -> bool:
    """Whether the stride is left to its default, the kernel size (None, or an empty sequence, as PyTorch)."""
    return stride is None or (isinstance(stride, (tuple, list)) and not stride)


def _layout(input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool,
            op: str) -> _Windows:
    """The windows of a (N, C, H, W) or (C, H, W) input, after checking the arguments."""
    kernel = pair(kernel_size, "kernel_size", op)
    stride = kernel if _unset(stride) else pair(stride, "stride", op)
    padding, dilation = pair(padding, "padding", op), pair(dilation, "dilation", op)
    if min(kernel) < 1 or min(stride) < 1 or min(dilation) < 1:
        raise ValueError(f"{op}: kernel_size, stride and dilation must be positive, got kernel_size={kernel}, "
                         f"stride={stride}, dilation={dilation}")
    if min(padding) < 0 or any(2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(f"{op}: padding should be non-negative and at most half of the kernel size, got "
                         f"padding={padding} for kernel_size={kernel}")
    if input.ndim not in (3, 4):
        raise ValueError(f"{op}: expected an input of shape (N, C, H, W) or (C, H, W), got {input.shape}")
    count = tuple(pooled_size(n, k, s, p, d, ceil_mode)
                  for n, k, s, p, d in zip(input.shape[-2:], kernel, stride, padding, dilation))
    if min(count) < 1:
        h, w = (n + 2 * p for n, p in zip(input.shape[-2:], padding))
        raise ValueError(f"{op}: the padded input ({h} x {w}) is smaller than the kernel {kernel} "
                         f"(dilation {dilation})")
    return _Windows(kernel, stride, padding, dilation, count)


def _geometry(size: tuple[int, int], layout: _Windows) -> Geometry:
    """The windows of an input plane of `size` padded by the padding on the top and left, and on the bottom and
    right by the padding or as much as ceil_mode's last windows need, if more."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = layout
    h, w = size
    bottom = max(ph, (oh - 1) * sh + dh * (kh - 1) + 1 - h - ph)
    right = max(pw, (ow - 1) * sw + dw * (kw - 1) + 1 - w - pw)
    return Geometry(layout.kernel, layout.stride, layout.dilation, (ph, bottom, pw, right), 1)


def _windows(batch: Tensor, layout: _Windows, fill: float) -> Tensor:
    """The (N, C, OH, OW, kh*kw) windows of a batch padded with `fill` (see _geometry)."""
    top, bottom, left, right = _geometry(batch.shape[-2:], layout).padding
    if top or bottom or left or right:
        batch = pad(batch, (left, right, top, bottom), value=fill)
    windows = im2col(batch, layout.kernel, layout.stride, layout.dilation)
    return windows.reshape(*windows.shape[:4], layout.kernel[0] * layout.kernel[1])


def _max_pool(input: Tensor, layout: _Windows, return_indices: bool) -> Tensor | tuple[Tensor, Tensor]:
    batch = input if input.ndim == 4 else input.unsqueeze(0)
    geometry = _geometry(input.shape[-2:], layout)
    # with return_indices, the winners are found first and the node takes the elements there
    winners = largest(batch._data, geometry, layout.count)[1] if return_indices else None
    out = MaxPool.apply(batch, geometry, layout.count, winners)
    if input.ndim == 3:
        out = out.squeeze(0)
    if not return_indices:
        return out
    indices = winner_indices(winners, geometry, input.shape[-1])
    return out, Tensor._wrap(indices if input.ndim == 4 else indices[0])


def _divisors(layout: _Windows, size: tuple[int, int], count_include_pad: bool) -> np.ndarray:
    """(OH, OW): how many elements of each window count for its mean, as PyTorch: those in the padded input
    (count_include_pad) or in the input alone; the overhang of ceil_mode never counts."""
    counts = []
    for n, k, s, p, out in zip(size, layout.kernel, layout.stride, layout.padding, layout.count):
        start = np.arange(out) * s - p
        end = np.minimum(start + k, n + p)
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, n)
        counts.append(end - start)
    return counts[0][:, None] * counts[1]


def _avg_pool(input: Tensor, layout: _Windows, count_include_pad: bool, divisor_override: int | None,
              op: str) -> Tensor:
    if divisor_override is not None and divisor_override == 0:
        raise ValueError(f"{op}: divisor_override must be non-zero")
    batch = input if input.ndim == 4 else input.unsqueeze(0)
    total = _windows(batch, layout, 0.0).sum(-1)
    if divisor_override is not None:
        total = total / float(divisor_override)
    else:
        divisors = _divisors(layout, input.shape[-2:], count_include_pad)
        total = total * Tensor._wrap((1.0 / divisors).astype(input.dtype))
    return total if input.ndim == 4 else total.squeeze(0)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The largest element of each window: (N, C, H, W) -> (N, C, OH, OW); with return_indices, also the int64
    index h*W + w of each one in its (unpadded) input plane."""
    return _max_pool(input, _layout(input, kernel_size, stride, padding, dilation, ceil_mode, "max_pool2d"),
                     return_indices)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """The mean of each window: (N, C, H, W) -> (N, C, OH, OW); divisor_override, if given, replaces the count."""
    layout = _layout(input, kernel_size, stride, padding, 1, ceil_mode, "avg_pool2d")
    return _avg_pool(input, layout, count_include_pad, divisor_override, "avg_pool2d")


def _layout1d(input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool,
              op: str) -> tuple[Tensor, _Windows]:
    """A (N, C, L) or (C, L) input as an image one pixel high, (N, C, 1, L) or (C, 1, L), and its windows."""
    if input.ndim not in (2, 3):
        raise ValueError(f"{op}: expected an input of shape (N, C, L) or (C, L), got {input.shape}")
    kernel = single(kernel_size, "kernel_size", op)
    stride = kernel if _unset(stride) else single(stride, "stride", op)
    image = input.unsqueeze(-2)
    layout = _layout(image, (1, kernel), (1, stride), (0, single(padding, "padding", op)),
                     (1, single(dilation, "dilation", op)), ceil_mode, op)
    return image, layout


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The largest element of each window along L: (N, C, L) -> (N, C, OL) (indices into L with return_indices)."""
    image, layout = _layout1d(input, kernel_size, stride, padding, dilation, ceil_mode, "max_pool1d")
    out = _max_pool(image, layout, return_indices)
    if return_indices:
        return out[0].squeeze(-2), out[1].squeeze(-2)
    return out.squeeze(-2)


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """The mean of each window along L: (N, C, L) -> (N, C, OL)."""
    image, layout = _layout1d(input, kernel_size, stride, padding, 1, ceil_mode, "avg_pool1d")
    return _avg_pool(image, layout, count_include_pad, None, "avg_pool1d").squeeze(-2)


class _MaxPool(Module):
    """What MaxPool1d and MaxPool2d share: their settings; `pool` is their function."""

    pool: Any

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return self.pool(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                         self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool2d(_MaxPool):
    """Max pooling over kernel_size windows (stride defaults to kernel_size)."""

    pool = staticmethod(max_pool2d)


class MaxPool1d(_MaxPool):
    """Max pooling along L over kernel_size windows (stride defaults to kernel_size)."""

    pool = staticmethod(max_pool1d)


class AvgPool2d(Module):
    """Average pooling over kernel_size windows (stride defaults to kernel_size)."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(Module):
    """Average pooling along L over kernel_size windows (stride defaults to kernel_size).

    As PyTorch, it keeps kernel_size, stride and padding as 1-tuples: AvgPool1d(kernel_size=(3,), ...).
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = (single(kernel_size, "kernel_size", "AvgPool1d"),)
        self.stride = self.kernel_size if stride is None else (single(stride, "stride", "AvgPool1d"),)
        self.padding = (single(padding, "padding", "AvgPool1d"),)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
