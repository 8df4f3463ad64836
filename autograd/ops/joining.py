"""Joining and splitting: cat, stack, split, chunk; and padding (constant, reflect, replicate, circular)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.arguments import as_int, as_ints
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
        return np.pad(x, widths, mode="constant", constant_values=value) if x.ndim else x.copy()  # (np.pad: no 0-d)

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
    if not isinstance(split_size_or_sections, (tuple, list)):
        size = as_int(split_size_or_sections, "split_size", "split")
        if size <= 0:
            raise ValueError(f"split: split_size must be positive, got {size}")
        sizes = [min(size, n - start) for start in range(0, n, size)] or [0]
    else:
        sizes = list(as_ints(split_size_or_sections, "split_sizes", "split"))
        if sum(sizes) != n:
            raise ValueError(f"split: sizes {sizes} add up to {sum(sizes)}, but dimension {dim} has size {n}")
    ends = np.cumsum(sizes)
    return tuple(x[_along(axis, x.ndim, end - s, end)] for s, end in zip(sizes, ends))


def chunk(x: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """x split into `chunks` pieces of ceil(size / chunks) along `dim` (fewer when they run out, as PyTorch)."""
    chunks = as_int(chunks, "chunks", "chunk")
    if chunks <= 0:
        raise ValueError(f"chunk: chunks must be positive, got {chunks}")
    (axis,) = normalize_dims(dim, x.ndim, "chunk")
    return split(x, max(-(-x.shape[axis] // chunks), 1), dim)


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Padding as PyTorch's F.pad: `pad` gives (before, after) widths for the last dimension, then the one before
    it, and so on. Modes: 'constant' (`value`, default 0; negative widths crop), 'reflect' (mirrored without
    repeating the edge: 2 1 | 1 2 3 | 2), 'replicate' (the edge repeated) and 'circular' (wrapped around); each
    padded element's gradient goes back to the element it copies."""
    if not isinstance(mode, str):
        raise TypeError(f"pad: mode must be a string, got {mode!r} (the third argument is the mode, as in PyTorch: "
                        "give the fill as value=)")
    widths = list(as_ints(pad if isinstance(pad, (tuple, list)) else (pad,), "pad", "pad"))
    if len(widths) % 2 or len(widths) // 2 > input.ndim:
        raise ValueError(f"pad: expected an even number of widths, at most 2 per dimension of a tensor of shape "
                         f"{input.shape}, got {widths}")
    pairs = [(widths[i], widths[i + 1]) for i in range(0, len(widths), 2)]
    axes = [input.ndim - 1 - i for i in range(len(pairs))]
    if mode == "constant":
        return _constant_pad(input, dict(zip(axes, pairs)), 0.0 if value is None else value)
    if mode not in _SOURCES:
        raise NotImplementedError(f"pad: mode {mode!r} is not one of 'constant', 'reflect', 'replicate', 'circular'")
    if value:
        raise ValueError(f"pad: padding mode {mode!r} doesn't take a value argument (got {value})")
    if not 1 <= len(pairs) <= 3 or input.ndim not in (len(pairs) + 1, len(pairs) + 2):
        raise NotImplementedError(f"pad: {mode} padding of the last {len(pairs)} dimensions needs a tensor of "
                                  f"{len(pairs) + 1} or {len(pairs) + 2} dimensions (1 to 3 padded ones after "
                                  f"optional batch and channel dimensions), got shape {input.shape}")
    for axis, (before, after) in zip(axes, pairs):
        input = input[(slice(None),) * axis + (_source_index(mode, input.shape[axis], before, after, axis),)]
    return input


def _constant_pad(x: Tensor, pairs: dict, value: float) -> Tensor:
    """Negative widths crop first; the others surround x with `value` (one Pad node)."""
    crop = tuple(slice(max(-pairs[a][0], 0), n - max(-pairs[a][1], 0)) if a in pairs else slice(None)
                 for a, n in enumerate(x.shape))
    if any(s.stop - s.start < 0 for s in crop if s.start is not None):
        raise RuntimeError(f"pad: the widths {pairs} crop more than a dimension of the input's shape {x.shape}")
    if any(min(p) < 0 for p in pairs.values()):
        x = x[crop]
    widths = tuple((max(pairs[a][0], 0), max(pairs[a][1], 0)) if a in pairs else (0, 0) for a in range(x.ndim))
    return Pad.apply(x, widths, value)


_SOURCES = {  # for the padded positions p of a dimension of size n: the position each one copies
    "reflect": lambda p, n: np.abs(n - 1 - np.abs(n - 1 - p)),  # -1 -> 1, n -> n - 2
    "replicate": lambda p, n: np.clip(p, 0, n - 1),
    "circular": lambda p, n: p % n,
}


def _source_index(mode: str, n: int, before: int, after: int, axis: int) -> np.ndarray:
    limit = {"reflect": n - 1, "replicate": None, "circular": n}[mode]
    if min(before, after) < 0 or n == 0 or (limit is not None and max(before, after) > limit):
        bound = "non-negative" + ("" if limit is None else f" and at most {limit}")
        raise RuntimeError(f"pad: {mode} padding widths ({before}, {after}) must be {bound} for dimension {axis} "
                           f"of size {n}")
    return _SOURCES[mode](np.arange(-before, n + after), n)
