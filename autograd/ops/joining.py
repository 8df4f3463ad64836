"""Joining and splitting: cat, stack, split, chunk, and constant padding."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.arithmetic import result_dtype
from autograd.ops.dims import normalize_dims
from autograd.tensor_class import Tensor


def _along(axis: int, ndim: int, start: int, stop: int) -> tuple:
    """The index that takes start:stop along `axis` and everything along the other dimensions."""
    return (slice(None),) * axis + (slice(start, stop),) + (slice(None),) * (ndim - axis - 1)


class Cat(Function, on_arrays=True):
    """y = the inputs joined along an axis;  each input's gradient is its slice of dL/dy."""

    @staticmethod
    def forward(ctx, axis: int, *arrays):
        ctx.axis = axis
        ctx.sizes = [a.shape[axis] for a in arrays]
        return np.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        ends = np.cumsum(ctx.sizes)
        return (None, *(grad[_along(ctx.axis, grad.ndim, end - n, end)] if needed else None
                        for n, end, needed in zip(ctx.sizes, ends, ctx.needs_input_grad[1:])))


class Pad(Function, on_arrays=True):
    """y = x surrounded by a constant;  dL/dx = dL/dy without the border."""

    @staticmethod
    def forward(ctx, x, widths: tuple, value: float):
        ctx.inner = tuple(slice(before, before + n) for (before, _), n in zip(widths, x.shape))
        return np.pad(x, widths, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.inner], None, None


def _tensors(tensors: Sequence[Tensor], op: str) -> list[Tensor]:
    tensors = list(tensors)
    if not tensors:
        raise ValueError(f"{op}: expected a non-empty sequence of tensors")
    if len({t.dtype for t in tensors}) > 1:
        dtype = result_dtype(tensors)
        tensors = [t.to(dtype) for t in tensors]
    return tensors


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors joined along an existing dimension `dim`; the other dimensions must agree."""
    tensors = _tensors(tensors, "cat")
    (axis,) = normalize_dims(dim, tensors[0].ndim, "cat")
    first = tensors[0].shape
    for i, t in enumerate(tensors):
        if t.ndim != len(first) or t.shape[:axis] + t.shape[axis + 1:] != first[:axis] + first[axis + 1:]:
            raise ValueError(f"cat: tensor {i} has shape {t.shape}, which does not match tensor 0's shape "
                             f"{first} outside dimension {dim}")
    return Cat.apply(axis, *tensors)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors (all of one shape) joined along a new dimension `dim`."""
    tensors = _tensors(tensors, "stack")
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise ValueError(f"stack: tensor {i} has shape {t.shape}, but tensor 0 has shape {tensors[0].shape}")
    return cat([t.unsqueeze(dim) for t in tensors], dim)


def split(x: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces of x along `dim`: of `split_size` each (the last may be smaller), or of the listed sizes."""
    (axis,) = normalize_dims(dim, x.ndim, "split")
    n = x.shape[axis]
    if isinstance(split_size_or_sections, (int, np.integer)):
        size = int(split_size_or_sections)
        if size <= 0:
            raise ValueError(f"split: split_size must be positive, got {size}")
        sizes = [min(size, n - start) for start in range(0, n, size)] or [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n:
            raise ValueError(f"split: sizes {sizes} add up to {sum(sizes)}, but dimension {dim} has size {n}")
    ends = np.cumsum(sizes)
    return tuple(x[_along(axis, x.ndim, end - s, end)] for s, end in zip(sizes, ends))


def chunk(x: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """x split into `chunks` pieces of ceil(size / chunks) along `dim` (fewer when they run out, as PyTorch)."""
    if chunks <= 0:
        raise ValueError(f"chunk: chunks must be positive, got {chunks}")
    (axis,) = normalize_dims(dim, x.ndim, "chunk")
    return split(x, max(-(-x.shape[axis] // chunks), 1), dim)


def pad(x: Tensor, pad: Sequence[int], value: float = 0.0) -> Tensor:
    """Constant padding as PyTorch's F.pad: (left, right) of the last dimension, then of the one before, ..."""
    pad = [int(p) for p in pad]
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise ValueError(f"pad: expected an even number of widths, at most 2 per dimension of a tensor of shape "
                         f"{x.shape}, got {pad}")
    if any(p < 0 for p in pad):
        raise ValueError(f"pad: widths must be non-negative, got {pad}")
    pairs = [(pad[i], pad[i + 1]) for i in range(0, len(pad), 2)]
    widths = tuple([(0, 0)] * (x.ndim - len(pairs)) + pairs[::-1])
    return Pad.apply(x, widths, value)
