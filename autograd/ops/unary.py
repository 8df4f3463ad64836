"""Elementwise ops of one operand. Each docstring gives y = f(x) and dy/dx; backward multiplies by it."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.tensor_class import Tensor, scalar_array


class Abs(Function, on_arrays=True):
    """y = |x|;  dy/dx = sign(x) (0 at 0, as PyTorch)."""

    @staticmethod
    def forward(ctx, x):
        ctx.sign = np.sign(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.sign


class Exp(Function, on_arrays=True):
    """y = e^x;  dy/dx = e^x = y."""

    @staticmethod
    def forward(ctx, x):
        y = np.exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y


class Log(Function, on_arrays=True):
    """y = ln x;  dy/dx = 1/x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Function, on_arrays=True):
    """y = sqrt(x);  dy/dx = 1 / (2 y)."""

    @staticmethod
    def forward(ctx, x):
        y = np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad / (2 * y)


class Sin(Function, on_arrays=True):
    """y = sin x;  dy/dx = cos x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * dual.cos(x)


class Cos(Function, on_arrays=True):
    """y = cos x;  dy/dx = -sin x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return -grad * dual.sin(x)


class Tanh(Function, on_arrays=True):
    """y = tanh x;  dy/dx = 1 - y^2."""

    @staticmethod
    def forward(ctx, x):
        y = np.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y * y)


class Sigmoid(Function, on_arrays=True):
    """y = 1 / (1 + e^-x), computed as 1 / (1 + e^-|x|) for x >= 0 and e^-|x| / (1 + e^-|x|) below, so that no
    exp overflows;  dy/dx = y (1 - y)."""

    @staticmethod
    def forward(ctx, x):
        e = np.exp(-np.abs(x))
        y = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y * (1 - y)


class Relu(Function, on_arrays=True):
    """y = max(x, 0);  dy/dx = 1 where x > 0, else 0 (0 at x = 0, as PyTorch)."""

    @staticmethod
    def forward(ctx, x):
        ctx.positive = x > 0
        return np.maximum(x, x.dtype.type(0))

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.positive


class Clamp(Function, on_arrays=True):
    """y = min(max(x, low), high) (either bound may be None);  dy/dx = 1 where low <= x <= high, else 0;
    dy/dlow = 1 where x < low;  dy/dhigh = 1 where x > high (as PyTorch)."""

    @staticmethod
    def forward(ctx, x, low, high):
        y = np.clip(x, low, high).astype(x.dtype, copy=False)
        below = np.zeros(y.shape, bool) if low is None else np.broadcast_to(x < low, y.shape)
        above = np.zeros(y.shape, bool) if high is None else np.broadcast_to(x > high, y.shape)
        ctx.inside, ctx.below, ctx.above = ~(below | above), below, above
        return y

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.inside, grad * ctx.below, grad * ctx.above


def abs(x: Tensor) -> Tensor:
    return Abs.apply(x)


def exp(x: Tensor) -> Tensor:
    return Exp.apply(x)


def log(x: Tensor) -> Tensor:
    return Log.apply(x)


def sqrt(x: Tensor) -> Tensor:
    return Sqrt.apply(x)


def sin(x: Tensor) -> Tensor:
    return Sin.apply(x)


def cos(x: Tensor) -> Tensor:
    return Cos.apply(x)


def tanh(x: Tensor) -> Tensor:
    return Tanh.apply(x)


def sigmoid(x: Tensor) -> Tensor:
    return Sigmoid.apply(x)


def relu(x: Tensor) -> Tensor:
    return Relu.apply(x)


def clamp(x: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """x limited to [min, max] (either bound may be None; numbers or Tensors, which are differentiable too)."""
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    low, high = (b if b is None or isinstance(b, Tensor) else Tensor._wrap(scalar_array(b, x)) for b in (min, max))
    return Clamp.apply(x, low, high)
