"""softmax and log_softmax along one dimension, computed stably (the maximum is subtracted first)."""
from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops.dims import normalize_dims
from autograd.tensor import Tensor


class Softmax(Function):
    """y_i = exp(x_i) / sum_j exp(x_j);  dL/dx = y * (g - sum_j g_j y_j)."""

    @staticmethod
    def forward(ctx, x: Tensor, axis: int) -> np.ndarray:
        ctx.axis = axis
        ctx.save_output()
        e = np.exp(x.data - x.data.max(axis=axis, keepdims=True, initial=-np.inf))
        return e / e.sum(axis=axis, keepdims=True)

    @staticmethod
    def backward(ctx, grad: Tensor):
        y = ctx.output
        return y * (grad - (grad * y).sum(ctx.axis, keepdim=True)), None


class LogSoftmax(Function):
    """y_i = x_i - log sum_j exp(x_j);  dL/dx = g - exp(y) * sum_j g_j."""

    @staticmethod
    def forward(ctx, x: Tensor, axis: int) -> np.ndarray:
        ctx.axis = axis
        ctx.save_output()
        return log_softmax_array(x.data, axis)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return grad - ctx.output.exp() * grad.sum(ctx.axis, keepdim=True), None

    @staticmethod
    def array_backward(ctx, grad: np.ndarray):
        return grad - np.exp(ctx.output.data) * grad.sum(ctx.axis, keepdims=True), None


def log_softmax_array(x: np.ndarray, axis: int | None) -> np.ndarray:
    """x - log sum exp x along axis, with the maximum subtracted first so that no exp overflows."""
    shifted = x - np.maximum.reduce(x, axis=axis, keepdims=True, initial=-np.inf)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


def _axis(x: Tensor, dim: int, op: str) -> int:
    axes = normalize_dims(dim, x.ndim, op)
    return axes[0] if axes else None


def softmax(x: Tensor, dim: int) -> Tensor:
    return Softmax.apply(x, _axis(x, dim, "softmax"))


def log_softmax(x: Tensor, dim: int) -> Tensor:
    return LogSoftmax.apply(x, _axis(x, dim, "log_softmax"))
