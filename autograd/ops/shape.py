"""Ops that change only the shape, the order of dimensions or the order of elements along them (flip, roll);
each backward undoes the change on the gradient."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.ops.arguments import as_int, as_ints
from autograd.ops.dims import normalize_dims
from autograd.tensor_class import Tensor


class Reshape(Function, on_arrays=True):
    """y = x with a new shape (same elements, row-major order);  dL/dx = dL/dy reshaped back."""

    @staticmethod
    def forward(ctx, x, shape: tuple):
        ctx.shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


class Flatten(Reshape):
    """y = x with dimensions start..end merged into one."""


class Squeeze(Reshape):
    """y = x without the size-1 dimensions."""


class Unsqueeze(Reshape):
    """y = x with a new size-1 dimension."""


class Permute(Function, on_arrays=True):
    """y = x with its dimensions reordered;  dL/dx = dL/dy with the inverse order."""

    @staticmethod
    def forward(ctx, x, dims: tuple):
        ctx.inverse = tuple(dims.index(i) for i in range(len(dims)))
        return x.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        return dual.permute(grad, ctx.inverse), None


class Transpose(Permute):
    """y = x with two dimensions swapped;  dL/dx = dL/dy with them swapped back (a swap is its own inverse)."""

    @staticmethod
    def forward(ctx, x, dims: tuple):
        ctx.inverse = dims
        return x.transpose(dims)


class Flip(Function, on_arrays=True):
    """y = x with the order of elements reversed along some axes (a copy);  dL/dx = dL/dy flipped back."""

    @staticmethod
    def forward(ctx, x, axes: tuple):
        ctx.axes = axes
        return np.flip(x, axes).copy()

    @staticmethod
    def backward(ctx, grad):
        return dual.apply(Flip, grad, ctx.axes), None


class Roll(Function, on_arrays=True):
    """y = x with elements shifted cyclically along axes (of the flattened x when axes is None);
    dL/dx = dL/dy shifted back."""

    @staticmethod
    def forward(ctx, x, shifts: tuple, axes: tuple | None):
        ctx.shifts, ctx.axes = shifts, axes
        return np.roll(x, shifts, axes)

    @staticmethod
    def backward(ctx, grad):
        return dual.apply(Roll, grad, tuple(-s for s in ctx.shifts), ctx.axes), None, None


def _reshape_as(op: type, x: Tensor, shape: tuple) -> Tensor:
    return x if shape == x.shape and op is Reshape else op.apply(x, shape)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    """x with another shape holding as many elements; one dimension may be -1 (inferred)."""
    shape = as_ints(shape, "shape", "reshape")
    known = math.prod(n for n in shape if n != -1)
    if shape.count(-1) > 1 or (shape.count(-1) == 0 and known != x._data.size) or (
            shape.count(-1) == 1 and (known == 0 or x._data.size % known)):
        raise RuntimeError(f"reshape: shape {list(shape)} is invalid for input of shape {x.shape} "
                           f"({x._data.size} elements)")
    shape = tuple(x._data.size // known if n == -1 else n for n in shape)
    return _reshape_as(Reshape, x, shape)


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """x with dimensions start_dim..end_dim (inclusive) merged into one."""
    # checked for a 0-d x too
    dims = [normalize_dims(as_int(d, "dim", "flatten"), x.ndim, "flatten") for d in (start_dim, end_dim)]
    if x.ndim == 0:
        return _reshape_as(Flatten, x, (1,))
    (start,), (end,) = dims
    if start > end:
        raise RuntimeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    merged = math.prod(x.shape[start:end + 1])
    return _reshape_as(Flatten, x, x.shape[:start] + (merged,) + x.shape[end + 1:])


def squeeze(x: Tensor, dim: Any = None) -> Tensor:
    """x without its size-1 dimensions (only those in `dim`, when given; others there are kept)."""
    axes = normalize_dims(dim, x.ndim, "squeeze")
    return _reshape_as(Squeeze, x, tuple(n for i, n in enumerate(x.shape) if not (i in axes and n == 1)))


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    """x with a new size-1 dimension at `dim` (in the range [-ndim-1, ndim])."""
    dim = as_int(dim, "dim", "unsqueeze")
    if not -x.ndim - 1 <= dim <= x.ndim:
        raise IndexError(f"unsqueeze: dimension out of range (expected to be in range of "
                         f"[{-x.ndim - 1}, {x.ndim}], but got {dim})")
    dim = dim % (x.ndim + 1)
    return _reshape_as(Unsqueeze, x, x.shape[:dim] + (1,) + x.shape[dim:])


def permute(x: Tensor, *dims: Any) -> Tensor:
    """x with dimension i of the result taken from dimension dims[i] of x."""
    dims = as_ints(dims, "dims", "permute")
    for d in dims:
        normalize_dims(d, x.ndim, "permute")  # each in range (IndexError), before the permutation is checked
    axes = tuple(d % x.ndim for d in dims) if x.ndim else ()
    if sorted(axes) != list(range(x.ndim)) or len(dims) != x.ndim:
        raise RuntimeError(f"permute: dims {list(dims)} are not a permutation of the {x.ndim} dimensions of "
                           f"a tensor of shape {x.shape}")
    return x if axes == tuple(range(x.ndim)) else Permute.apply(x, axes)


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """x with dimensions dim0 and dim1 swapped."""
    n = x._data.ndim
    if type(dim0) is int and type(dim1) is int and -n <= dim0 < n and -n <= dim1 < n:  # the usual call, first
        a, b = dim0 % n, dim1 % n
    else:  # checked for a 0-d x too
        dims = [normalize_dims(as_int(d, "dim", "transpose"), n, "transpose") for d in (dim0, dim1)]
        if n == 0:
            return x
        (a,), (b,) = dims
    order = list(range(n))
    order[a], order[b] = order[b], order[a]
    return x if a == b else Transpose.apply(x, tuple(order))


def contiguous(x: Tensor) -> Tensor:
    """x itself: every tensor here is laid out as PyTorch's contiguous() gives (the engine's arrays need no
    particular layout)."""
    return x


def repeat(x: Tensor, *sizes: Any) -> Tensor:
    """x tiled sizes[i] times along dimension i (new leading dimensions when there are more sizes than
    dimensions), as PyTorch's repeat (numpy's tile, not numpy's repeat);  dL/dx = the tiles' gradients added."""
    sizes = as_ints(sizes, "sizes", "repeat")
    if len(sizes) < x.ndim:
        raise RuntimeError(f"repeat: number of dimensions of repeat dims ({len(sizes)}) can not be smaller than "
                           f"the number of dimensions of the tensor ({x.ndim}, shape {x.shape})")
    if any(n < 0 for n in sizes):
        raise RuntimeError(f"repeat: repeats must be non-negative, got {list(sizes)}")
    shape = (1,) * (len(sizes) - x.ndim) + x.shape
    # (s0, s1, ...) -> (1, s0, 1, s1, ...) -> expanded to (r0, s0, r1, s1, ...) -> (r0 s0, r1 s1, ...)
    interleaved = x.reshape(tuple(n for s in shape for n in (1, s)))
    tiled = interleaved.expand(tuple(n for r, s in zip(sizes, shape) for n in (r, s)))
    return tiled.reshape(tuple(r * s for r, s in zip(sizes, shape)))


def flip(x: Tensor, *dims: Any) -> Tensor:
    """x with the order of elements reversed along each of `dims` (a copy, as PyTorch's flip)."""
    dims = dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
    return Flip.apply(x, normalize_dims(tuple(dims), x.ndim, "flip"))


def roll(x: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """x with its elements shifted cyclically by `shifts` along `dims` (along the flattened x when dims is None,
    the shape kept): y[(i + shift) mod n] = x[i]."""
    shifts = as_ints(shifts if isinstance(shifts, (tuple, list)) else (shifts,), "shifts", "roll")
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"roll: shifts {list(shifts)} need dims, one per shift")
        return Roll.apply(x, shifts, None)
    dims = as_ints(dims if isinstance(dims, (tuple, list)) else (dims,), "dims", "roll")
    if len(shifts) != len(dims):
        raise RuntimeError(f"roll: shifts and dimensions must align, got {len(shifts)} shifts and {len(dims)} dims")
    for d in dims:
        normalize_dims(d, x.ndim, "roll")  # in range (a 0-d tensor takes 0 and -1)
    if x.ndim == 0:
        return Roll.apply(x, (0,), None)
    return Roll.apply(x, shifts, tuple(d % x.ndim for d in dims))
