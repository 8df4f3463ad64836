"""The windows a 2-d convolution or pooling slides over an image, as one array ("im2col"), and the way back.

For an input (N, C, H, W), a kernel (kh, kw), a stride and a dilation, `Im2col` gives the windows as an array
(N, C, OH, OW, kh, kw): element [n, c, i, j, p, q] is x[n, c, i*sh + p*dh, j*sw + q*dw], with
OH = (H - dh*(kh-1) - 1) // sh + 1 (the same for OW). It is a strided view of the input (numpy's
sliding_window_view, no copy). Average pooling is one reduction over it (the convolution node copies the windows
once into columns, nn.im2col; the max-pooling node takes them one kernel offset at a time, nn.max_pooling).

Its derivative `Col2im` adds each window's gradient back where the window was taken from: a loop over the
kh*kw kernel offsets (never over pixels), each adding a strided slice of the whole batch at once.
The two are each other's adjoint, so each is the other's backward (and gradients of gradients work).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.tensor_class import Tensor


def _ints(value: Any, count: int, what: str, name: str, op: str) -> tuple[int, ...]:
    values = (value,) * count if isinstance(value, (int, np.integer)) else value
    if not (isinstance(values, (tuple, list)) and len(values) == count
            and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values)):
        raise TypeError(f"{op}: {name} must be an int or {what}, got {value!r}")
    return tuple(int(v) for v in values)


def pair(value: Any, name: str, op: str) -> tuple[int, int]:
    """An int or a pair of ints as (height, width), else a TypeError naming the argument and the layer."""
    return _ints(value, 2, "a pair of ints", name, op)


def single(value: Any, name: str, op: str) -> int:
    """An int or a 1-tuple of an int (the 1-d layers' form), else a TypeError naming the argument and the layer."""
    return _ints(value, 1, "a tuple of one int", name, op)[0]


def output_size(size: int, kernel: int, stride: int, dilation: int) -> int:
    """How many windows fit along one (already padded) dimension."""
    return (size - dilation * (kernel - 1) - 1) // stride + 1


def pooled_size(size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int:
    """How many windows a pooling takes along one dimension of `size` padded by `padding` on both sides.

    ceil_mode rounds up instead of down (a last, partial window), as PyTorch: except where that window would
    start in the right padding, past the input.
    """
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    if not ceil_mode:
        return span // stride + 1
    count = -(-span // stride) + 1
    return count - 1 if (count - 1) * stride >= size + padding else count


class Im2col(Function, on_arrays=True):
    """y[n, c, i, j, p, q] = x[n, c, i*sh + p*dh, j*sw + q*dw];  dL/dx = Col2im(dL/dy)."""

    @staticmethod
    def forward(ctx, x, kernel: tuple, stride: tuple, dilation: tuple):
        ctx.image_size, ctx.stride, ctx.dilation = x.shape[2:], stride, dilation
        span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
        windows = np.lib.stride_tricks.sliding_window_view(x, span, axis=(2, 3))
        return windows[:, :, ::stride[0], ::stride[1], ::dilation[0], ::dilation[1]]

    @staticmethod
    def backward(ctx, grad):
        return dual.apply(Col2im, grad, ctx.image_size, ctx.stride, ctx.dilation), None, None, None


class Col2im(Function, on_arrays=True):
    """y = zeros (N, C, H, W) with every window g[:, :, i, j] added back at its place;  dL/dg = Im2col(dL/dy)."""

    @staticmethod
    def forward(ctx, g, image_size: tuple, stride: tuple, dilation: tuple):
        n, c, oh, ow, kh, kw = g.shape
        ctx.kernel, ctx.stride, ctx.dilation = (kh, kw), stride, dilation
        (sh, sw), (dh, dw) = stride, dilation
        out = np.zeros((n, c, *image_size), dtype=g.dtype)
        for p in range(kh):
            rows = slice(p * dh, p * dh + sh * (oh - 1) + 1, sh)
            for q in range(kw):
                out[:, :, rows, q * dw:q * dw + sw * (ow - 1) + 1:sw] += g[..., p, q]
        return out

    @staticmethod
    def backward(ctx, grad):
        return dual.apply(Im2col, grad, ctx.kernel, ctx.stride, ctx.dilation), None, None, None


def im2col(x: Tensor, kernel: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int]) -> Tensor:
    """The (N, C, OH, OW, kh, kw) windows of an (N, C, H, W) tensor (padding, if any, is applied before)."""
    return Im2col.apply(x, kernel, stride, dilation)
