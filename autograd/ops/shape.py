"""Ops that change only the shape or the order of dimensions; each backward undoes the change on the gradient."""
from __future__ import annotations

import math
from typing import Any

from autograd.function import Function
from autograd.ops import dual
from autograd.ops.dims import normalize_dims
from autograd.tensor_class import Tensor, shape_of


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
    """y = x with two dimensions swapped."""


def _reshape_as(op: type, x: Tensor, shape: tuple) -> Tensor:
    return x if shape == x.shape and op is Reshape else op.apply(x, shape)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    """x with another shape holding as many elements; one dimension may be -1 (inferred)."""
    shape = shape_of(shape)
    known = math.prod(n for n in shape if n != -1)
    if shape.count(-1) > 1 or (shape.count(-1) == 0 and known != x._data.size) or (
            shape.count(-1) == 1 and (known == 0 or x._data.size % known)):
        raise RuntimeError(f"reshape: shape {list(shape)} is invalid for input of shape {x.shape} "
                           f"({x._data.size} elements)")
    shape = tuple(x._data.size // known if n == -1 else n for n in shape)
    return _reshape_as(Reshape, x, shape)


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """x with dimensions start_dim..end_dim (inclusive) merged into one."""
    if x.ndim == 0:
        return _reshape_as(Flatten, x, (1,))
    start, end = (normalize_dims(d, x.ndim, "flatten")[0] for d in (start_dim, end_dim))
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
    if not -x.ndim - 1 <= dim <= x.ndim:
        raise IndexError(f"unsqueeze: dimension out of range (expected to be in range of "
                         f"[{-x.ndim - 1}, {x.ndim}], but got {dim})")
    dim = dim % (x.ndim + 1)
    return _reshape_as(Unsqueeze, x, x.shape[:dim] + (1,) + x.shape[dim:])


def permute(x: Tensor, *dims: Any) -> Tensor:
    """x with dimension i of the result taken from dimension dims[i] of x."""
    dims = shape_of(dims)
    axes = tuple(d % x.ndim for d in dims) if x.ndim else ()
    if sorted(axes) != list(range(x.ndim)) or len(dims) != x.ndim:
        raise RuntimeError(f"permute: dims {list(dims)} are not a permutation of the {x.ndim} dimensions of "
                           f"a tensor of shape {x.shape}")
    return x if axes == tuple(range(x.ndim)) else Permute.apply(x, axes)


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """x with dimensions dim0 and dim1 swapped."""
    if x.ndim == 0:
        return x
    a, b = (normalize_dims(d, x.ndim, "transpose")[0] for d in (dim0, dim1))
    order = list(range(x.ndim))
    order[a], order[b] = order[b], order[a]
    return x if a == b else Transpose.apply(x, tuple(order))
