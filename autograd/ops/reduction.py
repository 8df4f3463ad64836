"""Reductions over `dim` (an int, a tuple, or None for all), with `keepdim` as in PyTorch (and numpy's names
`axis` and `keepdims` for them, as PyTorch accepts too).

Backward puts the reduced dimensions back (`_unreduce`) and spreads the gradient over them.
"""
from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.function import Function
from autograd.ops import dual
from autograd.ops.aliases import numpy_names
from autograd.ops.arguments import as_flag, as_number
from autograd.ops.arithmetic import maximum, minimum, where
from autograd.ops.dims import normalize_dims
from autograd.ops.indexing import gather
from autograd.tensor_class import Tensor


def _dropped(out: np.ndarray, axes: tuple) -> np.ndarray:
    """A reduction computed with keepdims, without the reduced axes."""
    return out.reshape([n for i, n in enumerate(out.shape) if i not in axes])


def _kept_shape(shape: tuple, axes: tuple) -> tuple:
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _unreduce(grad, shape: tuple, axes: tuple):
    """The gradient of a reduction, reshaped to keep the reduced axes, then broadcast to the input's shape."""
    return dual.broadcast_to(grad.reshape(_kept_shape(shape, axes)), shape)


class Sum(Function, on_arrays=True):
    """y = sum of x over axes;  dy/dx_i = 1."""

    @staticmethod
    def forward(ctx, x, axes: tuple, keepdim: bool):
        ctx.shape, ctx.axes = x.shape, axes
        return x.sum(axis=axes, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        return _unreduce(grad, ctx.shape, ctx.axes), None, None


class Mean(Function, on_arrays=True):
    """y = mean of x over axes (n elements each);  dy/dx_i = 1/n."""

    @staticmethod
    def forward(ctx, x, axes: tuple, keepdim: bool):
        ctx.shape, ctx.axes = x.shape, axes
        ctx.count = math.prod(x.shape[a] for a in axes)
        return x.mean(axis=axes, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        return _unreduce(grad / ctx.count, ctx.shape, ctx.axes), None, None


class Var(Function, on_arrays=True):
    """y = sum (x_i - mean)^2 / (n - correction);  dy/dx_i = 2 (x_i - mean) / (n - correction)."""

    @staticmethod
    def forward(ctx, x, axes: tuple, correction: int, keepdim: bool):
        ctx.save_for_backward(x)
        ctx.shape, ctx.axes = x.shape, axes
        ctx.dof = math.prod(x.shape[a] for a in axes) - correction
        with np.errstate(divide="ignore", invalid="ignore"):
            return x.var(axis=axes, ddof=correction, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        centred = x - x.mean(axis=ctx.axes, keepdims=True)
        with np.errstate(divide="ignore"):
            scale = np.divide(2.0, ctx.dof)  # inf when no degree of freedom is left, as PyTorch
        return _unreduce(grad, ctx.shape, ctx.axes) * centred * scale, None, None, None


class Extremum(Function, on_arrays=True):
    """y = max (or min) of x over axes;  dy/dx_i = 1/k for the k elements equal to y, else 0 (ties share).

    Where y is NaN, as PyTorch: max() and min() of the whole tensor (`whole`) share the gradient among the NaN
    elements; amax and amin give NaN to every element reduced into it (no element equals NaN: 0 / 0)."""

    @staticmethod
    def forward(ctx, x, axes: tuple, keepdim: bool, largest: bool, whole: bool):
        out = (np.amax if largest else np.amin)(x, axis=axes, keepdims=True)
        hits = np.isnan(x) if whole and np.isnan(out) else x == out
        with np.errstate(invalid="ignore"):
            ctx.share = (hits / hits.sum(axis=axes, keepdims=True)).astype(x.dtype)
        ctx.kept = out.shape
        return out if keepdim else _dropped(out, axes)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.kept) * ctx.share, None, None, None, None


class LogSumExp(Function, on_arrays=True):
    """y = log sum exp(x_i), computed as m + log sum exp(x_i - m) with m = max x;  dy/dx_i = exp(x_i - y)."""

    @staticmethod
    def forward(ctx, x, axes: tuple, keepdim: bool):
        m = np.amax(x, axis=axes, keepdims=True, initial=-np.inf)  # an empty dimension gives -inf
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):
            out = m + np.log(np.exp(x - m).sum(axis=axes, keepdims=True))
        ctx.kept = out.shape
        y = out if keepdim else _dropped(out, axes)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad.reshape(ctx.kept) * dual.exp(x - y.reshape(ctx.kept)), None, None


class Prod(Function):
    """y = prod of x over an axis;  dy/dx_i = prod of the other elements (y / x_i when no element is 0).

    (Its backward is written with Tensor ops only: the product of the others, differentiable again.)"""

    @staticmethod
    def forward(ctx, x: Tensor, axes: tuple, keepdim: bool):
        y = x._data.prod(axis=axes, keepdims=keepdim)
        ctx.save_for_backward(x, y)
        ctx.axes, ctx.kept = axes, _kept_shape(x.shape, axes)
        return y

    @staticmethod
    def backward(ctx, grad: Tensor):
        x, y = ctx.saved_tensors
        axes = ctx.axes
        g = grad.reshape(ctx.kept)
        if not np.any(x._data == 0):
            return g * y.reshape(ctx.kept) / x, None, None
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


def _reduced(dim: Any, ndim: int, op: str) -> tuple[int, ...]:
    """The axes a reduction runs over; as in PyTorch, an empty `dim` (() or []) means all of them."""
    return normalize_dims(None if isinstance(dim, (tuple, list)) and not dim else dim, ndim, op)


class ValuesIndices(NamedTuple):
    """What max(dim) and min(dim) return, as in PyTorch: the values and where they are."""
    values: Tensor
    indices: Tensor


@numpy_names
def sum(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    return Sum.apply(x, _reduced(dim, x.ndim, "sum"), as_flag(keepdim, "keepdim", "sum"))


@numpy_names
def mean(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    if x.dtype.kind != "f":
        raise RuntimeError(f"mean(): the input dtype must be floating point, got {x.dtype}")
    return Mean.apply(x, _reduced(dim, x.ndim, "mean"), as_flag(keepdim, "keepdim", "mean"))


def _correction(unbiased: bool | None, correction: int | None) -> int:
    if unbiased is not None and correction is not None:
        raise ValueError("var/std: give either unbiased or correction, not both")
    if correction is not None:
        return as_number(correction, "correction", "var")
    return 0 if unbiased is False else 1


@numpy_names
def var(x: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: int | None = None) -> Tensor:
    """Variance with Bessel's correction by default (unbiased=True, i.e. correction=1), as PyTorch."""
    if x.dtype.kind != "f":
        raise RuntimeError(f"var(): the input dtype must be floating point, got {x.dtype}")
    return Var.apply(x, _reduced(dim, x.ndim, "var"), _correction(unbiased, correction),
                     as_flag(keepdim, "keepdim", "var"))


@numpy_names
def std(x: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: int | None = None) -> Tensor:
    """sqrt(var(x)); the same defaults as `var`."""
    return var(x, dim, unbiased, keepdim, correction=correction).sqrt()


def _nonempty(x: Tensor, dim: Any, axes: tuple, op: str) -> tuple:
    """The reduced axes of an extremum (max, argmax, ...), each of non-zero size (as PyTorch: an IndexError
    naming the dimension; with no dim given, an error for an empty tensor)."""
    if dim is None and x._data.size == 0:
        raise RuntimeError(f"{op}(): Expected reduction dim to be specified for input.numel() == 0: the tensor "
                           f"{x.shape} is empty, so it has no extremum. Specify the reduction dim with the 'dim' "
                           "argument.")
    for axis in axes:
        if x.shape[axis] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {axis} to have non-zero size: a reduced dimension of "
                             f"the tensor {x.shape} is empty, so it has no extremum")
    return axes


def _extremum(x: Tensor, dim: Any, keepdim: bool, largest: bool, op: str) -> Tensor:
    axes = _nonempty(x, dim, _reduced(dim, x.ndim, op), op)
    return Extremum.apply(x, axes, as_flag(keepdim, "keepdim", op), largest, op in ("max", "min"))


@numpy_names
def amax(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Largest values over `dim`; tied elements share the gradient evenly."""
    return _extremum(x, dim, keepdim, True, "amax")


@numpy_names
def amin(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Smallest values over `dim`; tied elements share the gradient evenly."""
    return _extremum(x, dim, keepdim, False, "amin")


@numpy_names
def max(x: Tensor, dim: Any = None, keepdim: bool = False):
    """max() of all elements (tied elements share the gradient evenly), or (values, indices) along one `dim`
    (the gradient goes to the element at the index, the first of any ties), as PyTorch; max(x, other) with a
    Tensor is maximum(x, other)."""
    if isinstance(dim, Tensor):
        return maximum(x, dim)
    return _extremum(x, None, False, True, "max") if dim is None else _selected(x, dim, keepdim, argmax)


@numpy_names
def min(x: Tensor, dim: Any = None, keepdim: bool = False):
    """min() of all elements (tied elements share the gradient evenly), or (values, indices) along one `dim`
    (the gradient goes to the element at the index, the first of any ties), as PyTorch; min(x, other) with a
    Tensor is minimum(x, other)."""
    if isinstance(dim, Tensor):
        return minimum(x, dim)
    return _extremum(x, None, False, False, "min") if dim is None else _selected(x, dim, keepdim, argmin)


def _selected(x: Tensor, dim: int, keepdim: bool, arg: Any) -> ValuesIndices:
    op = "max" if arg is argmax else "min"
    _nonempty(x, dim, normalize_dims(dim, x.ndim, op), op)
    keepdim = as_flag(keepdim, "keepdim", op)
    if x.ndim == 0:
        return ValuesIndices(amax(x), Tensor._wrap(np.zeros((), dtype=np.int64)))
    indices = arg(x, dim, keepdim=True)
    values = gather(x, dim, indices)
    if not keepdim:
        values, indices = values.squeeze(dim), indices.squeeze(dim)
    return ValuesIndices(values, indices)


def _arg(x: Tensor, dim: int | None, keepdim: bool, fn: Any, op: str) -> Tensor:
    keepdim = as_flag(keepdim, "keepdim", op)
    if dim is None:
        _nonempty(x, None, (), op)
        out = fn(x._data.reshape(-1))
        return Tensor._wrap(np.array(out).reshape((1,) * x.ndim if keepdim else ()))
    (axis,) = _nonempty(x, dim, normalize_dims(dim, x.ndim, op), op) or (None,)
    if axis is None:
        return Tensor._wrap(np.zeros((), dtype=np.int64))
    return Tensor._wrap(fn(x._data, axis=axis, keepdims=keepdim).astype(np.int64))


@numpy_names
def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest value (of the flattened tensor when dim is None); outside the graph."""
    return _arg(x, dim, keepdim, np.argmax, "argmax")


@numpy_names
def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest value (of the flattened tensor when dim is None); outside the graph."""
    return _arg(x, dim, keepdim, np.argmin, "argmin")


@numpy_names
def logsumexp(x: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """log sum exp x over `dim`; integer and boolean tensors give the default float dtype, as in PyTorch."""
    axes = normalize_dims(dim, x.ndim, "logsumexp")
    keepdim = as_flag(keepdim, "keepdim", "logsumexp")
    return LogSumExp.apply(x if x.dtype.kind == "f" else x.to(get_default_dtype()), axes, keepdim)


@numpy_names
def prod(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    return Prod.apply(x, normalize_dims(dim, x.ndim, "prod"), as_flag(keepdim, "keepdim", "prod"))


def _logical(x: Tensor, dim: Any, keepdim: bool, fn: Any, op: str) -> Tensor:
    axes, keepdim = normalize_dims(dim, x.ndim, op), as_flag(keepdim, "keepdim", op)
    return Tensor._wrap(np.asarray(fn(x._data, axis=axes, keepdims=keepdim)))


@numpy_names
def any(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Whether some element over `dim` is non-zero (bool, outside the graph)."""
    return _logical(x, dim, keepdim, np.any, "any")


@numpy_names
def all(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Whether every element over `dim` is non-zero (bool, outside the graph)."""
    return _logical(x, dim, keepdim, np.all, "all")
