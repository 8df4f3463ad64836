"""softmax and log_softmax along one dimension, computed stably (the maximum is subtracted first)."""
from __future__ import annotations

import numpy as np

from autograd.dtypes import require_floating
from autograd.function import Function
from autograd.ops import dual
from autograd.ops.aliases import numpy_names
from autograd.ops.dims import normalize_dims
from autograd.tensor_class import Tensor


class Softmax(Function, on_arrays=True):
    """y_i = exp(x_i) / sum_j exp(x_j);  dL/dx = y * (g - sum_j g_j y_j)."""

    @staticmethod
    def forward(ctx, x, axis: int | None):
        ctx.axis = axis
        e = np.exp(x - x.max(axis=axis, keepdims=True, initial=-np.inf))
        y = e / e.sum(axis=axis, keepdims=True)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return y * (grad - (grad * y).sum(axis=ctx.axis, keepdims=True)), None


class LogSoftmax(Function, on_arrays=True):
    """y_i = x_i - log sum_j exp(x_j);  dL/dx = g - exp(y) * sum_j g_j."""

    @staticmethod
    def forward(ctx, x, axis: int | None):
        ctx.axis = axis
        y = log_softmax_array(x, axis)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad - dual.exp(y) * grad.sum(axis=ctx.axis, keepdims=True), None


def log_softmax_array(x: np.ndarray, axis: int | None) -> np.ndarray:
    """x - log sum exp x along axis, with the maximum subtracted first so that no exp overflows."""
    shifted = x - np.maximum.reduce(x, axis=axis, keepdims=True, initial=-np.inf)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


def _axis(x: Tensor, dim: int, op: str) -> int | None:
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{op}(): argument 'dim' must be int, not {type(dim).__name__}")
    require_floating(x, op)
    axes = normalize_dims(dim, x.ndim, op)
    return axes[0] if axes else None


@numpy_names
def softmax(x: Tensor, dim: int) -> Tensor:
    return Softmax.apply(x, _axis(x, dim, "softmax"))


@numpy_names
def log_softmax(x: Tensor, dim: int) -> Tensor:
    return LogSoftmax.apply(x, _axis(x, dim, "log_softmax"))
