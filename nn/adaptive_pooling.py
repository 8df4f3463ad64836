"""Adaptive pooling: `adaptive_avg_pool2d` / `AdaptiveAvgPool2d` and `adaptive_max_pool2d` / `AdaptiveMaxPool2d`
(and their 1-d forms, over an image one pixel high), which choose their windows so that the output has a given
size whatever the input's. As PyTorch, window i of a dimension of size n pooled to `out` windows covers

    rows floor(i*n/out) .. ceil((i+1)*n/out) - 1

so that neighbouring windows overlap by a row when out does not divide n (and repeat rows when out > n).

    avg: a mean over a rectangle is separable: out = A_h x A_w^T per plane, with A[i, r] = 1/len(window i) for r
         in window i, else 0 (one matmul on each side; the gradient is A_h^T G A_w).
    max: each window is gathered by an index array (a window shorter than the longest repeats its last row or
         column, which changes no maximum); the first largest element in row-major order wins, as in
         max_pool2d, and gets the gradient.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.ops.arithmetic import where
from autograd.tensor_class import Tensor
from nn.module import Module


def _output_size(output_size: Any, size: tuple[int, ...], op: str) -> tuple[int, ...]:
    """One output size per pooled dimension: an int for all, or one entry each, None keeping the input's size."""
    sizes = (output_size,) * len(size) if output_size is None or isinstance(output_size, (int, np.integer)) \
        else output_size
    if not (isinstance(sizes, (tuple, list)) and len(sizes) == len(size) and all(
            s is None or (isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s > 0) for s in sizes)):
        raise ValueError(f"{op}: output_size must be a positive int (or None) or {len(size)} of them, "
                         f"got {output_size!r}")
    return tuple(int(n if s is None else s) for s, n in zip(sizes, size))


def _bounds(size: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each of the `out` windows along a dimension of `size` starts and ends (exclusive)."""
    i = np.arange(out)
    return i * size // out, -(-(i + 1) * size // out)


def _check(input: Tensor, op: str) -> None:
    if input.ndim not in (3, 4) or 0 in input.shape[-2:]:
        raise ValueError(f"{op}: expected an input of shape (N, C, H, W) or (C, H, W) with non-zero H and W, "
                         f"got {input.shape}")


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """The mean of each adaptive window: (N, C, H, W) -> (N, C, *output_size)."""
    _check(input, "adaptive_avg_pool2d")
    out = _output_size(output_size, input.shape[-2:], "adaptive_avg_pool2d")
    averages = []
    for size, count in zip(input.shape[-2:], out):
        start, end = _bounds(size, count)
        rows = np.arange(size)
        inside = (rows >= start[:, None]) & (rows < end[:, None])
        averages.append(Tensor._wrap((inside / (end - start)[:, None]).astype(input.dtype)))
    return averages[0] @ input @ averages[1].T


def adaptive_max_pool2d(input: Tensor, output_size: Any,
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The largest element of each adaptive window: (N, C, H, W) -> (N, C, *output_size); with return_indices,
    also the int64 index h*W + w of each one in its input plane."""
    _check(input, "adaptive_max_pool2d")
    out = _output_size(output_size, input.shape[-2:], "adaptive_max_pool2d")
    (h, w), (oh, ow) = input.shape[-2:], out
    gathered = []  # per dimension: (out, longest window) indices of the rows (columns) of each window
    for size, count in zip((h, w), out):
        start, end = _bounds(size, count)
        gathered.append(np.minimum(start[:, None] + np.arange((end - start).max()), end[:, None] - 1))
    rows, cols = gathered
    kh, kw = rows.shape[1], cols.shape[1]
    windows = input[..., rows[:, :, None, None], cols[None, None]]  # (*, OH, kh, OW, kw)
    lead = windows.ndim - 4
    windows = windows.permute(*range(lead), lead, lead + 2, lead + 1, lead + 3).reshape(
        *input.shape[:-2], oh, ow, kh * kw)
    first = windows._data.argmax(axis=-1)
    pooled = where(np.arange(kh * kw) == first[..., None], windows, 0.0).sum(-1)
    if not return_indices:
        return pooled
    indices = rows[np.arange(oh)[:, None], first // kw] * w + cols[np.arange(ow), first % kw]
    return pooled, Tensor._wrap(indices.astype(np.int64))


def _as_image(input: Tensor, op: str) -> Tensor:
    """A (N, C, L) or (C, L) input as an image one pixel high."""
    if input.ndim not in (2, 3):
        raise ValueError(f"{op}: expected an input of shape (N, C, L) or (C, L), got {input.shape}")
    return input.unsqueeze(-2)


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """The mean of each adaptive window along L: (N, C, L) -> (N, C, output_size)."""
    image = _as_image(input, "adaptive_avg_pool1d")
    (size,) = _output_size(output_size, input.shape[-1:], "adaptive_avg_pool1d")
    return adaptive_avg_pool2d(image, (1, size)).squeeze(-2)


def adaptive_max_pool1d(input: Tensor, output_size: Any,
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The largest element of each adaptive window along L: (N, C, L) -> (N, C, output_size)."""
    image = _as_image(input, "adaptive_max_pool1d")
    (size,) = _output_size(output_size, input.shape[-1:], "adaptive_max_pool1d")
    out = adaptive_max_pool2d(image, (1, size), return_indices)
    return (out[0].squeeze(-2), out[1].squeeze(-2)) if return_indices else out.squeeze(-2)


class _AdaptiveAvgPool(Module):
    """Average pooling to a fixed output size; `pool` is the function of the 1-d or 2-d layer."""

    pool: Any

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        return self.pool(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class _AdaptiveMaxPool(Module):
    """Max pooling to a fixed output size; `pool` is the function of the 1-d or 2-d layer."""

    pool: Any

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return self.pool(input, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptiveAvgPool):
    """Average pooling to a fixed output size (H, W) (an int: square; None: the input's size)."""

    pool = staticmethod(adaptive_avg_pool2d)


class AdaptiveMaxPool2d(_AdaptiveMaxPool):
    """Max pooling to a fixed output size (H, W) (an int: square; None: the input's size)."""

    pool = staticmethod(adaptive_max_pool2d)


class AdaptiveAvgPool1d(_AdaptiveAvgPool):
    """Average pooling along L to a fixed output size."""

    pool = staticmethod(adaptive_avg_pool1d)


class AdaptiveMaxPool1d(_AdaptiveMaxPool):
    """Max pooling along L to a fixed output size."""

    pool = staticmethod(adaptive_max_pool1d)
