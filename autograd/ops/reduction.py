"""Reductions over `dim` (an int, a tuple, or None for all), with `keepdim` as in PyTorch.

Backward puts the reduced dimensions back (`_unreduce`) and spreads the gradient over them.
"""
from __future__ import annotations

import builtins
import math
from typing import Any, NamedTuple

import numpy as np

from autograd.function import Function
from autograd.ops.arithmetic import where
from autograd.ops.broadcast import expand
from autograd.tensor import Tensor


def normalize_dims(dim: Any, ndim: int, op: str) -> tuple[int, ...]:
    """`dim` as a sorted tuple of non-negative axes; None means every axis. A 0-d tensor accepts 0 and -1."""
    if dim is None:
        return tuple(range(ndim))
    if type(dim) is int and 0 <= dim < ndim:  # the common case, quickly
        return (dim,)
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    size = builtins.max(ndim, 1)
    for d in dims:
        if not -size <= d < size:
            raise IndexError(f"{op}: dimension out of range (expected to be in range of [{-size}, {size - 1}], "
                             f"but got {d})")
    axes = tuple(sorted({d % size for d in dims})) if ndim else ()
    if len(axes) != len(dims) and ndim:
        raise RuntimeError(f"{op}: dim {dims} names a dimension twice")
    return axes


def _kept_shape(shape: tuple, axes: tuple) -> tuple:
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _unreduce(grad: Tensor, shape: tuple, axes: tuple) -> Tensor:
    """The gradient of a reduction, reshaped to keep the reduced axes, then broadcast to the input's shape."""
    return expand(grad.reshape(_kept_shape(shape, axes)), shape)


class Sum(Function):
    """y = sum of x over axes;  dy/dx_i = 1."""

    @staticmethod
    def forward(ctx, x: Tensor, axes: tuple, keepdim: bool) -> np.ndarray:
        ctx.shape, ctx.axes = x.shape, axes
        return x.data.sum(axis=axes, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return _unreduce(grad, ctx.shape, ctx.axes), None, None


class Mean(Function):
    """y = mean of x over axes (n elements each);  dy/dx_i = 1/n."""

    @staticmethod
    def forward(ctx, x: Tensor, axes: tuple, keepdim: bool) -> np.ndarray:
        ctx.shape, ctx.axes = x.shape, axes
        ctx.count = math.prod(x.shape[a] for a in axes)
        return x.data.mean(axis=axes, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return _unreduce(grad / ctx.count, ctx.shape, ctx.axes), None, None


class Var(Function):
    """y = sum (x_i - mean)^2 / (n - correction);  dy/dx_i = 2 (x_i - mean) / (n - correction)."""

    @staticmethod
    def forward(ctx, x: Tensor, axes: tuple, correction: int, keepdim: bool) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.axes = axes
        ctx.dof = math.prod(x.shape[a] for a in axes) - correction
        with np.errstate(divide="ignore", invalid="ignore"):
            return x.data.var(axis=axes, ddof=correction, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad: Tensor):
        (x,) = ctx.saved_tensors
        centred = x - x.mean(ctx.axes, keepdim=True)
        return _unreduce(grad, x.shape, ctx.axes) * centred * (2.0 / ctx.dof if ctx.dof > 0 else np.inf), None, None, None


class Extremum(Function):
    """y = max (or min) of x over axes;  dy/dx_i = 1/k for the k elements equal to y, else 0 (ties share)."""

    @staticmethod
    def forward(ctx, x: Tensor, axes: tuple, keepdim: bool, largest: bool) -> np.ndarray:
        if x.data.size == 0:
            raise RuntimeError(f"{'max' if largest else 'min'}: the tensor is empty, it has no extremum")
        out = (np.amax if largest else np.amin)(x.data, axis=axes, keepdims=True)
        hits = x.data == out
        ctx.share = hits / hits.sum(axis=axes, keepdims=True)
        ctx.shape, ctx.axes = x.shape, axes
        return out if keepdim else out.reshape([n for i, n in enumerate(out.shape) if i not in axes])

    @staticmethod
    def backward(ctx, grad: Tensor):
        return _unreduce(grad, ctx.shape, ctx.axes) * ctx.share.astype(grad.dtype), None, None, None


class LogSumExp(Function):
    """y = log sum exp(x_i), computed as m + log sum exp(x_i - m) with m = max x;  dy/dx_i = exp(x_i - y)."""

    @staticmethod
    def forward(ctx, x: Tensor, axes: tuple, keepdim: bool) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.axes = axes
        m = np.amax(x.data, axis=axes, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        out = m + np.log(np.exp(x.data - m).sum(axis=axes, keepdims=True))
        ctx.save_output()
        return out if keepdim else out.reshape([n for i, n in enumerate(out.shape) if i not in axes])

    @staticmethod
    def backward(ctx, grad: Tensor):
        (x,) = ctx.saved_tensors
        kept = _kept_shape(x.shape, ctx.axes)
        return _unreduce(grad, x.shape, ctx.axes) * (x - ctx.output.reshape(kept)).exp(), None, None


class Prod(Function):
    """y = prod of x over an axis;  dy/dx_i = prod of the other elements (y / x_i when no element is 0)."""

    @staticmethod
    def forward(ctx, x: Tensor, axes: tuple, keepdim: bool) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.axes = axes
        ctx.save_output()
        return x.data.prod(axis=axes, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad: Tensor):
        (x,) = ctx.saved_tensors
        axes = ctx.axes
        g = _unreduce(grad, x.shape, axes)
        if not np.any(x.data == 0):
            return g * _unreduce(ctx.output, x.shape, axes) / x, None, None
        # With zeros, y / x_i fails: multiply the others explicitly. Move the axes last, flatten them to n,
        # then row i of an (n, n) stack holds x with its i-th element replaced by 1.
        rest = [i for i in range(x.ndim) if i not in axes]
        moved = x.permute(*rest, *axes)
        flat = moved.reshape(*moved.shape[: len(rest)], -1)
        n = flat.shape[-1]
        rows = where(np.eye(n, dtype=bool), 1.0, flat.unsqueeze(-2).expand(*flat.shape[:-1], n, n))
        others = rows.prod(dim=-1).reshape(moved.shape)
        inverse = np.argsort(rest + list(axes))
        return g * others.permute(*inverse), None, None


class ValuesIndices(NamedTuple):
    """What max(dim) and min(dim) return, as in PyTorch: the values and where they are."""
    values: Tensor
    indices: Tensor


def sum(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    return Sum.apply(x, normalize_dims(dim, x.ndim, "sum"), keepdim)


def mean(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    if x.dtype.kind != "f":
        raise RuntimeError(f"mean(): the input dtype must be floating point, got {x.dtype}")
    return Mean.apply(x, normalize_dims(dim, x.ndim, "mean"), keepdim)


def _correction(unbiased: bool | None, correction: int | None) -> int:
    if unbiased is not None and correction is not None:
        raise ValueError("var/std: give either unbiased or correction, not both")
    if correction is not None:
        return int(correction)
    return 0 if unbiased is False else 1


def var(x: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: int | None = None) -> Tensor:
    """Variance with Bessel's correction by default (unbiased=True, i.e. correction=1), as PyTorch."""
    if x.dtype.kind != "f":
        raise RuntimeError(f"var(): the input dtype must be floating point, got {x.dtype}")
    return Var.apply(x, normalize_dims(dim, x.ndim, "var"), _correction(unbiased, correction), keepdim)


def std(x: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: int | None = None) -> Tensor:
    """sqrt(var(x)); the same defaults as `var`."""
    return var(x, dim, unbiased, keepdim, correction=correction).sqrt()


def amax(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Largest values over `dim`; tied elements share the gradient evenly."""
    return Extremum.apply(x, normalize_dims(dim, x.ndim, "amax"), keepdim, True)


def amin(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Smallest values over `dim`; tied elements share the gradient evenly."""
    return Extremum.apply(x, normalize_dims(dim, x.ndim, "amin"), keepdim, False)


def max(x: Tensor, dim: int | None = None, keepdim: bool = False):
    """max() of all elements, or (values, indices) along one `dim`. Ties share the gradient evenly."""
    if dim is None:
        return amax(x)
    return ValuesIndices(amax(x, dim, keepdim), argmax(x, dim, keepdim))


def min(x: Tensor, dim: int | None = None, keepdim: bool = False):
    """min() of all elements, or (values, indices) along one `dim`. Ties share the gradient evenly."""
    if dim is None:
        return amin(x)
    return ValuesIndices(amin(x, dim, keepdim), argmin(x, dim, keepdim))


def _arg(x: Tensor, dim: int | None, keepdim: bool, fn: Any, op: str) -> Tensor:
    if dim is None:
        out = fn(x.data.reshape(-1))
        return Tensor._wrap(np.array(out).reshape((1,) * x.ndim if keepdim else ()))
    (axis,) = normalize_dims(dim, x.ndim, op) or (None,)
    if axis is None:
        return Tensor._wrap(np.zeros((), dtype=np.int64))
    return Tensor._wrap(fn(x.data, axis=axis, keepdims=keepdim).astype(np.int64))


def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest value (of the flattened tensor when dim is None); outside the graph."""
    return _arg(x, dim, keepdim, np.argmax, "argmax")


def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest value (of the flattened tensor when dim is None); outside the graph."""
    return _arg(x, dim, keepdim, np.argmin, "argmin")


def logsumexp(x: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    return LogSumExp.apply(x, normalize_dims(dim, x.ndim, "logsumexp"), keepdim)


def prod(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    return Prod.apply(x, normalize_dims(dim, x.ndim, "prod"), keepdim)
