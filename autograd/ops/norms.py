"""Norms: vector p-norms over any dimensions, the matrix norms built on them, torch.norm's and
torch.linalg.norm's rules for choosing between the two, and normalize (x divided by its norm).

The gradient of a norm at the zero vector is 0, PyTorch's choice of subgradient.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.ops.aliases import numpy_names
from autograd.ops.dims import normalize_dims
from autograd.ops.reduction import amax, amin
from autograd.ops.unary import abs, clamp, sign
from autograd.tensor_class import Tensor


class VectorNorm(Function, on_arrays=True):
    """y = (sum_i |x_i|^p)^(1/p) over axes, for finite p other than 0 and 1;
    dy/dx_i = sign(x_i) |x_i|^(p-1) / y^(p-1) (for p = 2: x_i / y), and 0 where y = 0."""

    @staticmethod
    def forward(ctx, x, p: float, axes: tuple, keepdim: bool):
        if p == 2:
            y = np.sqrt(np.sum(x * x, axis=axes, keepdims=True))
        else:
            y = np.sum(np.abs(x) ** p, axis=axes, keepdims=True) ** (1 / p)
        ctx.p, ctx.kept, ctx.zero_norm = p, y.shape, y == 0
        if p != 2:
            ctx.sign, ctx.zero = np.sign(x), x == 0
        out = y if keepdim else y.reshape([n for i, n in enumerate(y.shape) if i not in axes])
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        y = dual.where(ctx.zero_norm, 1.0, y.reshape(ctx.kept))  # where y = 0, so is x: the gradient is 0
        if ctx.p == 2:
            return grad.reshape(ctx.kept) * x / y, None, None, None
        magnitude = dual.where(ctx.zero, 1.0, x * ctx.sign) ** (ctx.p - 1)  # |x|^(p-1); at 0, times sign 0
        return grad.reshape(ctx.kept) * ctx.sign * magnitude / y ** (ctx.p - 1), None, None, None


def _floating_input(x: Tensor, dtype: Any, op: str) -> Tensor:
    if dtype is not None:
        x = x.to(dtype)
    if x.dtype.kind != "f":
        raise RuntimeError(f"{op}: the input dtype must be floating point, got {x.dtype}")
    return x


@numpy_names
def vector_norm(x: Tensor, ord: float = 2, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """(sum |x_i|^ord)^(1/ord) over `dim` (every dimension when None), as torch.linalg.vector_norm:
    ord inf and -inf are the largest and smallest |x_i| (ties share the gradient), ord 0 counts the non-zero
    elements (gradient 0), ord 1 is sum |x_i| (gradient sign x_i, 0 at 0)."""
    if isinstance(ord, str):
        raise RuntimeError(f"vector_norm: ord must be a number, got {ord!r} (a matrix norm)")
    x = _floating_input(x, dtype, "vector_norm")
    axes = normalize_dims(dim, x.ndim, "vector_norm")
    ord = float(ord)
    if ord == math.inf:
        return amax(abs(x), axes, keepdim)
    if ord == -math.inf:
        return amin(abs(x), axes, keepdim)
    if ord == 0:
        return abs(sign(x)).sum(axes, keepdim)
    if ord == 1:
        return abs(x).sum(axes, keepdim)
    return VectorNorm.apply(x, ord, axes, keepdim)


@numpy_names
def matrix_norm(x: Tensor, ord: Any = "fro", dim: tuple = (-2, -1), keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """A norm of each matrix in dimensions `dim`, as torch.linalg.matrix_norm: 'fro' (sqrt of the sum of
    squares), 1 and -1 (largest and smallest column sum of |x|), inf and -inf (largest and smallest row sum).
    'nuc', 2 and -2 need singular values, which this library does not compute."""
    x = _floating_input(x, dtype, "matrix_norm")
    if x.ndim < 2:
        raise RuntimeError(f"matrix_norm: the input must have at least 2 dimensions, got shape {x.shape}")
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    axes = tuple(normalize_dims(d, x.ndim, "matrix_norm")[0] for d in dims)
    if len(axes) != 2 or axes[0] == axes[1]:
        raise RuntimeError(f"matrix_norm: dim must name 2 different dimensions, got {dim}")
    rows, columns = axes
    if ord == "fro":
        return VectorNorm.apply(x, 2.0, tuple(sorted(axes)), keepdim)
    if ord in ("nuc", 2, -2):
        raise NotImplementedError(f"matrix_norm: ord={ord!r} needs singular values, which are not implemented; "
                                  "'fro', 1, -1, inf and -inf are")
    if ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"matrix_norm: order {ord!r} is not supported (use 'fro', 1, -1, inf or -inf)")
    summed, extremum = (rows, columns) if ord in (1, -1) else (columns, rows)  # 1: column sums; inf: row sums
    pick = amax if ord > 0 else amin
    out = pick(abs(x).sum(summed, keepdim=True), extremum, keepdim=True)
    return out if keepdim else out.squeeze(axes)


@numpy_names
def linalg_norm(x: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """torch.linalg.norm: a vector norm when `dim` is one dimension (or None and ord None: all elements, 2-norm),
    a matrix norm when it is two (or None and x is 2-D with an ord)."""
    if dim is None:
        if ord is None:
            return vector_norm(x, 2, None, keepdim, dtype=dtype)
        if x.ndim not in (1, 2):
            raise RuntimeError(f"linalg.norm: if dim is not given but ord is, the input must be 1-D or 2-D, "
                               f"got shape {x.shape}")
        dim = tuple(range(x.ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if len(dims) == 1:
        return vector_norm(x, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
    if len(dims) == 2:
        return matrix_norm(x, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
    raise RuntimeError(f"linalg.norm: dim must be one or two dimensions, got {dim}")


@numpy_names
def norm(x: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    """torch.norm: the vector p-norm over `dim` (all elements when None) for a number p (None is 2) and for
    'fro' (the 2-norm); 'nuc' is the matrix norm, which is not implemented."""
    if p == "fro":
        p = 2
    if isinstance(p, str):
        return matrix_norm(x, p, tuple(range(x.ndim)) if dim is None else dim, keepdim, dtype=dtype)
    return vector_norm(x, 2 if p is None else p, dim, keepdim, dtype=dtype)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """input / max(||input||_p, eps) along `dim`, as torch.nn.functional.normalize (differentiable)."""
    return input / clamp(vector_norm(input, p, dim, keepdim=True), eps)
