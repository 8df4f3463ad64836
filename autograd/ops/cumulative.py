"""Running sums and products along a dimension: cumsum and cumprod.

The adjoint of a running sum is a running sum from the other end, so each backward is the op run again
(reversed), and so differentiable again.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.ops.aliases import numpy_names
from autograd.ops.dims import normalize_dims
from autograd.tensor_class import Tensor


class CumSum(Function, on_arrays=True):
    """y_i = sum_{j <= i} x_j along an axis (j >= i when reversed);  dL/dx_j = sum_{i >= j} g_i: the running sum
    of the gradient from the other end."""

    @staticmethod
    def forward(ctx, x, axis: int, reverse: bool):
        ctx.axis, ctx.reverse = axis, reverse
        if reverse:
            return np.flip(np.cumsum(np.flip(x, axis), axis), axis).copy()
        return np.cumsum(x, axis)

    @staticmethod
    def backward(ctx, grad):
        return dual.apply(CumSum, grad, ctx.axis, not ctx.reverse), None, None


class CumProd(Function, on_arrays=True):
    """y_i = prod_{j <= i} x_j along an axis;  dL/dx_j = sum_{i >= j} g_i prod_{k <= i, k != j} x_k
    (see `_cumprod_gradient`: right with zeros in x, to every order)."""

    @staticmethod
    def forward(ctx, x, axis: int):
        y = np.cumprod(x, axis)
        ctx.save_for_backward(x, y)
        ctx.axis = axis
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return _cumprod_gradient(grad, x, y, ctx.axis, dual.values(x) == 0), None


def _cumprod_gradient(grad, x, y, axis: int, zero: np.ndarray):
    """sum_{i >= j} g_i prod_{k <= i, k != j} x_k, for y = cumprod(x) and `zero` where x is 0.

    Before the first zero of a row it is (sum_{i >= j} g_i y_i) / x_j. From the first zero z on, it is this same
    sum for x' (x with x_z replaced by 1), times x_z for j > z: 0, but with a derivative with respect to x_z,
    so x' is recursed into (one zero fewer each time) only when the backward pass is recorded.
    """
    from_the_end = dual.apply(CumSum, grad * y, axis, True)
    if not zero.any():
        return from_the_end / x
    seen = np.cumsum(zero, axis)  # how many zeros up to and including each place
    before, first = seen == 0, zero & (seen == 1)
    without_first = dual.where(first, 1.0, x)
    product_without = dual.apply(CumProd, without_first, axis)
    at_zero = dual.apply(CumSum, grad * product_without, axis, True)  # the sum for x' at every place
    if isinstance(grad, Tensor):
        x_first = dual.where(first, x, 0.0).sum(axis=axis, keepdims=True)
        after = x_first * _cumprod_gradient(grad, without_first, product_without, axis, zero & ~first)
    else:
        after = 0.0
    return dual.where(before, from_the_end / dual.where(before, x, 1.0), dual.where(first, at_zero, after))


def _running(op: type[Function], x: Tensor, dim: int, dtype: Any, name: str, *args: Any) -> Tensor:
    if dtype is not None:
        x = x.to(dtype)
    elif x.dtype.kind in "biu":  # integers and booleans accumulate in int64, as PyTorch
        x = x.to(np.int64)
    axes = normalize_dims(dim, x.ndim, name)
    if not axes:  # 0-d: one element, its own running sum and product
        return op.apply(x.reshape(1), 0, *args).reshape(())
    return op.apply(x, axes[0], *args)


@numpy_names
def cumsum(x: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running sums along `dim`: y_i = x_0 + ... + x_i."""
    return _running(CumSum, x, dim, dtype, "cumsum", False)


@numpy_names
def cumprod(x: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running products along `dim`: y_i = x_0 * ... * x_i (its gradient is right with zeros in x too)."""
    return _running(CumProd, x, dim, dtype, "cumprod")
